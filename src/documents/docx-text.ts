import { type DocumentText, UnreadableDocument } from "./document-text.js";
import { markdownTable } from "./markdown-table.js";
import { closingIndex, decodeEntities, elements } from "./xml-text.js";
import { zipEntries } from "./zip-entries.js";

const BODY = "word/document.xml";

/**
 * A Word document (DOCX): paragraphs in order, headings as `#` lines, tables as markdown
 * tables. Text boxes, comments and tracked deletions are left out.
 */
export function docxText(data: Uint8Array): DocumentText {
  const xml = zipEntries(data, (name) => name === BODY).get(BODY);
  if (xml === undefined) {
    throw new UnreadableDocument("damaged", "the file has no word/document.xml: not a DOCX");
  }
  const blocks: string[] = [];
  const next = /<w:(p|tbl)(?=[\s>/])([^>]*)>/g;
  for (let match = next.exec(xml); match; match = next.exec(xml)) {
    const tag = `w:${match[1]}`;
    if (match[2]!.endsWith("/")) continue;
    const start = match.index + match[0].length;
    const end = closingIndex(xml, tag, start);
    if (end < 0) break;
    const inner = xml.slice(start, end);
    const block = match[1] === "tbl" ? tableText(inner) : paragraphText(inner);
    if (block.trim() !== "") blocks.push(block);
    next.lastIndex = end;
  }
  return { kind: "Word", parts: [{ label: "", text: blocks.join("\n\n") }] };
}

function paragraphText(inner: string): string {
  let text = "";
  const run =
    /<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<w:(tab|br|cr)\b[^>]*\/>|<w:delText\b[^>]*>[^<]*<\/w:delText>/g;
  for (let match = run.exec(inner); match; match = run.exec(inner)) {
    if (match[1] !== undefined) text += decodeEntities(match[1]);
    else if (match[2] === "tab") text += "\t";
    else if (match[2]) text += "\n";
  }
  const heading = /<w:pStyle w:val="(?:Heading|heading )?([1-6])"/.exec(inner);
  if (heading && /<w:pStyle w:val="[Hh]eading/.test(inner) && text.trim() !== "") {
    return `${"#".repeat(Number(heading[1]))} ${text.trim()}`;
  }
  return text;
}

function tableText(inner: string): string {
  const rows = elements(inner, "w:tr").map((row) =>
    elements(row, "w:tc").map((cell) =>
      elements(cell, "w:p")
        .map(paragraphText)
        .filter((line) => line.trim() !== "")
        .join(" "),
    ),
  );
  return markdownTable(rows);
}
