/**
 * Rows as a markdown table, the form models read tables best in: the first row as the header,
 * pipes and line breaks inside cells escaped, short rows padded.
 */
export function markdownTable(rows: readonly (readonly string[])[]): string {
  const width = Math.max(0, ...rows.map((row) => row.length));
  if (width === 0) return "";
  const cell = (value: string | undefined) =>
    (value ?? "").replace(/\|/g, "\\|").replace(/\r?\n/g, " ").trim();
  const line = (row: readonly string[]) =>
    `| ${Array.from({ length: width }, (_, i) => cell(row[i])).join(" | ")} |`;
  const [header, ...body] = rows;
  return [line(header!), `|${" --- |".repeat(width)}`, ...body.map(line)].join("\n");
}
