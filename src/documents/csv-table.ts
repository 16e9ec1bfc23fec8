import { markdownTable } from "./markdown-table.js";

/** Rows kept of a CSV: past this it is data for a tool, not text for a prompt. */
const MAX_ROWS = 5_000;

/**
 * A CSV (or TSV) as a markdown table. Quoted fields (with `""` and line breaks inside) follow
 * RFC 4180; the delimiter is whichever of comma, semicolon and tab the first line uses most
 * (Excel writes semicolons where the decimal mark is a comma).
 */
export function csvTable(text: string, delimiter = guessDelimiter(text)): string {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length && rows.length < MAX_ROWS; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === "") quoted = true;
    else if (char === delimiter) {
      row.push(field);
      field = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      field = "";
      if (row.some((cell) => cell !== "")) rows.push(row);
      row = [];
    } else field += char;
  }
  row.push(field);
  if (row.some((cell) => cell !== "") && rows.length < MAX_ROWS) rows.push(row);
  return markdownTable(rows);
}

function guessDelimiter(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const counts = [",", ";", "\t"].map((d) => ({ d, n: firstLine.split(d).length - 1 }));
  counts.sort((a, b) => b.n - a.n);
  return counts[0]!.n > 0 ? counts[0]!.d : ",";
}
