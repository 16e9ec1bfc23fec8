import { strToU8, zipSync } from "fflate";

/**
 * Small documents built in the test, in the real formats (a PDF with a text layer, Office
 * Open XML zips), so no binary fixture is shipped and each test shows what its file says.
 */

/** A PDF with one page per entry, each line drawn as text in Helvetica; no lines: a "scan". */
export function pdfWith(pages: readonly (readonly string[])[]): Buffer {
  const objects: string[] = [];
  const add = (body: string) => objects.push(body) - 1 + 1; // object numbers start at 1
  const catalog = add("<< /Type /Catalog /Pages 2 0 R >>");
  add(""); // the page tree, filled in below once the pages have numbers
  const font = add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  const kids: number[] = [];
  for (const lines of pages) {
    const drawn = lines
      .map((line, i) => `BT /F1 12 Tf 72 ${720 - i * 16} Td (${escapePdf(line)}) Tj ET`)
      .join("\n");
    const stream = add(
      `<< /Length ${Buffer.byteLength(drawn, "latin1")} >>\nstream\n${drawn}\nendstream`,
    );
    kids.push(
      add(
        `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 ${font} 0 R >> >> /Contents ${stream} 0 R >>`,
      ),
    );
  }
  objects[1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(" ")}] /Count ${kids.length} >>`;
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, "latin1"));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, "latin1");
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}

function escapePdf(text: string): string {
  return text.replace(/[\\()]/g, (c) => `\\${c}`);
}

function xmlEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function zip(entries: Record<string, string>): Buffer {
  const files: Record<string, Uint8Array> = {};
  for (const [name, text] of Object.entries(entries)) files[name] = strToU8(text);
  return Buffer.from(zipSync(files));
}

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';

/** A DOCX: strings are paragraphs, `{ heading }` a Heading 1, arrays of rows a table. */
export function docxWith(blocks: ReadonlyArray<string | { heading: string } | string[][]>): Buffer {
  const paragraph = (text: string, style = "") =>
    `<w:p>${style ? `<w:pPr><w:pStyle w:val="${style}"/></w:pPr>` : ""}<w:r><w:t xml:space="preserve">${xmlEscape(text)}</w:t></w:r></w:p>`;
  const body = blocks
    .map((block) => {
      if (typeof block === "string") return paragraph(block);
      if (!Array.isArray(block)) return paragraph(block.heading, "Heading1");
      const rows = block
        .map(
          (row) => `<w:tr>${row.map((cell) => `<w:tc>${paragraph(cell)}</w:tc>`).join("")}</w:tr>`,
        )
        .join("");
      return `<w:tbl>${rows}</w:tbl>`;
    })
    .join("");
  return zip({
    "[Content_Types].xml": "<Types/>",
    "word/document.xml": `<?xml version="1.0" encoding="UTF-8"?><w:document ${W}><w:body>${body}<w:sectPr/></w:body></w:document>`,
  });
}

/**
 * A number cell shown in a number format: a built-in format id (14 is Excel's short date) or a
 * custom format code (`yyyy-mm-dd hh:mm`), as Excel writes it in xl/styles.xml.
 */
export interface FormattedCell {
  value: number;
  format: number | string;
}

/**
 * An XLSX with one sheet per entry (rows of cells, strings shared as Excel writes them);
 * `date1904`: the workbook counts days from 1904 (Excel for Mac's old default).
 */
export function xlsxWith(
  sheets: Record<string, ReadonlyArray<ReadonlyArray<string | number | FormattedCell>>>,
  options: { date1904?: boolean } = {},
): Buffer {
  const shared: string[] = [];
  const entries: Record<string, string> = { "[Content_Types].xml": "<Types/>" };
  // Style 0 is General; each format gets its own cell style, custom codes ids from 164 up.
  const formats: Array<number | string> = [];
  const styleOf = (format: number | string) => {
    if (!formats.includes(format)) formats.push(format);
    return formats.indexOf(format) + 1;
  };
  const names = Object.keys(sheets);
  names.forEach((name, i) => {
    const rows = sheets[name]!.map((row, r) => {
      const cells = row.map((value, c) => {
        const ref = `${String.fromCharCode(65 + c)}${r + 1}`;
        if (typeof value === "number") return `<c r="${ref}"><v>${value}</v></c>`;
        if (typeof value === "object") {
          return `<c r="${ref}" s="${styleOf(value.format)}"><v>${value.value}</v></c>`;
        }
        shared.push(value);
        return `<c r="${ref}" t="s"><v>${shared.length - 1}</v></c>`;
      });
      return `<row r="${r + 1}">${cells.join("")}</row>`;
    });
    entries[`xl/worksheets/sheet${i + 1}.xml`] =
      `<worksheet><sheetData>${rows.join("")}</sheetData></worksheet>`;
  });
  const custom = formats.filter((f): f is string => typeof f === "string");
  const fmtId = (f: number | string) => (typeof f === "number" ? f : 164 + custom.indexOf(f));
  entries["xl/styles.xml"] = `<styleSheet><numFmts count="${custom.length}">${custom
    .map((code) => `<numFmt numFmtId="${fmtId(code)}" formatCode="${xmlEscape(code)}"/>`)
    .join(
      "",
    )}</numFmts><cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs><cellXfs count="${formats.length + 1}"><xf numFmtId="0" xfId="0"/>${formats
    .map((f) => `<xf numFmtId="${fmtId(f)}" xfId="0" applyNumberFormat="1"/>`)
    .join("")}</cellXfs></styleSheet>`;
  entries["xl/workbook.xml"] =
    `<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">${
      options.date1904 ? '<workbookPr date1904="1"/>' : ""
    }<sheets>${names
      .map((name, i) => `<sheet name="${xmlEscape(name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
      .join("")}</sheets></workbook>`;
  entries["xl/_rels/workbook.xml.rels"] = `<Relationships>${names
    .map((_, i) => `<Relationship Id="rId${i + 1}" Target="worksheets/sheet${i + 1}.xml"/>`)
    .join("")}</Relationships>`;
  entries["xl/sharedStrings.xml"] =
    `<sst>${shared.map((s) => `<si><t>${xmlEscape(s)}</t></si>`).join("")}</sst>`;
  return zip(entries);
}

/** A PPTX with one slide per entry, one paragraph per line. */
export function pptxWith(slides: ReadonlyArray<ReadonlyArray<string>>): Buffer {
  const entries: Record<string, string> = {
    "[Content_Types].xml": "<Types/>",
    "ppt/presentation.xml": "<p:presentation/>",
  };
  slides.forEach((lines, i) => {
    const paragraphs = lines
      .map((line) => `<a:p><a:r><a:t>${xmlEscape(line)}</a:t></a:r></a:p>`)
      .join("");
    entries[`ppt/slides/slide${i + 1}.xml`] =
      `<p:sld><p:cSld><p:spTree><p:sp><p:txBody>${paragraphs}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>`;
  });
  return zip(entries);
}
