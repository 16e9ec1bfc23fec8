import { csvTable } from "./csv-table.js";
import { type DocumentText, UnreadableDocument } from "./document-text.js";
import { docxText } from "./docx-text.js";
import { htmlText } from "./html-text.js";
import { pdfText } from "./pdf-text.js";
import { pptxText } from "./pptx-text.js";
import { xlsxText } from "./xlsx-text.js";

/** Older binary Office formats: their text needs the format's own reader, which none here is. */
const LEGACY_OFFICE = new Set(["doc", "xls", "ppt", "wps", "et", "dps"]);

/**
 * The text of a file someone sent, by its name and its bytes: PDF, Word (DOCX), Excel (XLSX)
 * and CSV/TSV as tables, PowerPoint (PPTX), HTML, and any plain text (TXT, Markdown, JSON,
 * code…, in UTF-8, UTF-16 or GB18030).
 *
 * @example const text = await readDocument("report.pdf", bytes); // { kind: "PDF", parts: [{ label: "page 1", text: "…" }] }
 * @throws UnreadableDocument saying why there is no text: a scan, a format it cannot read, a damaged file.
 */
export async function readDocument(name: string, data: Uint8Array): Promise<DocumentText> {
  const extension = extensionOf(name);
  const magic = Buffer.from(data.subarray(0, 5)).toString("latin1");
  if (data.length === 0) throw new UnreadableDocument("empty", "the file is empty");
  if (extension === "pdf" || magic === "%PDF-") return pdfText(data);
  if (extension === "docx") return docxText(data);
  if (extension === "xlsx" || extension === "xlsm") return xlsxText(data);
  if (extension === "pptx") return pptxText(data);
  if (LEGACY_OFFICE.has(extension)) {
    throw new UnreadableDocument(
      "unsupported_format",
      `.${extension} is an old binary Office format; save it as .${extension.startsWith("x") || extension === "et" ? "xlsx" : extension === "ppt" || extension === "dps" ? "pptx" : "docx"} or PDF`,
    );
  }
  const text = decodeText(data);
  if (text === undefined) {
    throw new UnreadableDocument(
      "unsupported_format",
      `${extension ? `.${extension}` : "this file"} is not a document with text in it`,
    );
  }
  if (extension === "csv") return single("CSV", csvTable(text, ","));
  if (extension === "tsv") return single("TSV", csvTable(text, "\t"));
  if (extension === "html" || extension === "htm" || extension === "xhtml") {
    return single("HTML", htmlText(text));
  }
  return single("text", text);
}

function single(kind: string, text: string): DocumentText {
  if (text.trim() === "") throw new UnreadableDocument("empty", "the file has no text in it");
  return { kind, parts: [{ label: "", text }] };
}

/** `Report.Final.PDF` → `pdf`. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
}

/**
 * Text in the encodings people's files come in: UTF-8 (with or without a BOM), UTF-16 with a
 * BOM, and GB18030 (what Chinese Windows and its Excel write); undefined for binary data.
 */
function decodeText(data: Uint8Array): string | undefined {
  if (data[0] === 0xff && data[1] === 0xfe) return new TextDecoder("utf-16le").decode(data);
  if (data[0] === 0xfe && data[1] === 0xff) return new TextDecoder("utf-16be").decode(data);
  // A NUL byte among the first few KB: a binary file (an image, an archive, an executable).
  if (data.subarray(0, 8192).includes(0)) return undefined;
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(data);
  } catch {
    try {
      return new TextDecoder("gb18030", { fatal: true }).decode(data);
    } catch {
      return undefined;
    }
  }
}
