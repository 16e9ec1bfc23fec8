import { type DocumentPart, type DocumentText, UnreadableDocument } from "./document-text.js";
import { type StyleKinds, serialText, styleKinds } from "./excel-dates.js";
import { markdownTable } from "./markdown-table.js";
import { attribute, decodeEntities, elements, textOf } from "./xml-text.js";
import { zipEntries } from "./zip-entries.js";

/** Rows read of one sheet: past this a sheet is data for a tool, not text for a prompt. */
const MAX_ROWS_PER_SHEET = 5_000;

/**
 * An Excel workbook (XLSX): each sheet as a markdown table, in the workbook's order, with
 * shared and inline strings resolved. Formulas show their last computed value; a number in a
 * date or time format shows as one (`2024-03-01`, `14:30`), read from the workbook's styles.
 */
export function xlsxText(data: Uint8Array): DocumentText {
  const entries = zipEntries(
    data,
    (name) => (name.startsWith("xl/") && name.endsWith(".xml")) || name.endsWith(".rels"),
  );
  const workbook = entries.get("xl/workbook.xml");
  if (workbook === undefined) {
    throw new UnreadableDocument("damaged", "the file has no xl/workbook.xml: not an XLSX");
  }
  const shared = elements(entries.get("xl/sharedStrings.xml") ?? "", "si").map((si) =>
    textOf(si, "t"),
  );
  const styles = styleKinds(entries.get("xl/styles.xml") ?? "");
  const date1904 = /<workbookPr\b[^>]*\bdate1904="(?:1|true)"/.test(workbook);
  const targets = relationTargets(entries.get("xl/_rels/workbook.xml.rels") ?? "");
  const parts: DocumentPart[] = [];
  for (const sheet of workbook.match(/<sheet\b[^>]*>/g) ?? []) {
    const name = attribute(sheet, "sheet", "name") ?? "";
    const id = attribute(sheet, "sheet", "r:id") ?? "";
    const target = targets.get(id);
    const xml = target ? entries.get(resolveTarget(target)) : undefined;
    if (xml === undefined) continue;
    const rows = sheetRows(xml, shared, styles, date1904);
    if (rows.length === 0) continue;
    parts.push({ label: `sheet "${name}"`, text: markdownTable(rows) });
  }
  return { kind: "Excel", parts };
}

function sheetRows(
  xml: string,
  shared: string[],
  styles: StyleKinds,
  date1904: boolean,
): string[][] {
  const rows: string[][] = [];
  for (const row of elements(xml, "row").slice(0, MAX_ROWS_PER_SHEET)) {
    const cells: string[] = [];
    for (const match of row.matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attrs = match[1]!;
      const inner = match[2] ?? "";
      const ref = /\br="([A-Z]+)\d+"/.exec(attrs)?.[1];
      const column = ref ? columnIndex(ref) : cells.length;
      const type = /\bt="([^"]+)"/.exec(attrs)?.[1];
      const value = decodeEntities(elements(inner, "v")[0] ?? "");
      let text: string;
      if (type === "s") text = shared[Number(value)] ?? "";
      else if (type === "inlineStr") text = textOf(inner, "t");
      else if (type === "b") text = value === "1" ? "TRUE" : "FALSE";
      else
        text = numberText(
          value,
          type,
          styles[Number(/\bs="(\d+)"/.exec(attrs)?.[1] ?? 0)],
          date1904,
        );
      while (cells.length < column) cells.push("");
      cells[column] = text;
    }
    if (cells.some((cell) => cell.trim() !== "")) rows.push(cells);
  }
  return rows;
}

/** A number cell as its style shows it: a date or time when formatted as one. */
function numberText(
  value: string,
  type: string | undefined,
  kind: StyleKinds[number],
  date1904: boolean,
): string {
  const serial = Number(value);
  if (!kind || value === "" || (type !== undefined && type !== "n") || !Number.isFinite(serial)) {
    return value;
  }
  // Day numbers below 0 or past year 9999 are not dates Excel can show either.
  if (serial < 0 || serial > 2_958_465) return value;
  return serialText(serial, kind, date1904);
}

/** `AB` → 27 (zero-based). */
function columnIndex(letters: string): number {
  let index = 0;
  for (const letter of letters) index = index * 26 + (letter.charCodeAt(0) - 64);
  return index - 1;
}

function relationTargets(rels: string): Map<string, string> {
  const targets = new Map<string, string>();
  for (const rel of rels.match(/<Relationship\b[^>]*>/g) ?? []) {
    const id = attribute(rel, "Relationship", "Id");
    const target = attribute(rel, "Relationship", "Target");
    if (id && target) targets.set(id, target);
  }
  return targets;
}

/** A workbook relation's target (`worksheets/sheet1.xml` or `/xl/worksheets/sheet1.xml`). */
function resolveTarget(target: string): string {
  return target.startsWith("/") ? target.slice(1) : `xl/${target}`;
}
