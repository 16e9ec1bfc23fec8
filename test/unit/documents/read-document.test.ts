import { describe, expect, it } from "vitest";
import { estimateTokens } from "../../../src/conversation/estimate-tokens.js";
import { UnreadableDocument } from "../../../src/documents/document-text.js";
import { fitDocuments } from "../../../src/documents/fit-documents.js";
import { readDocument } from "../../../src/documents/read-document.js";
import { docxWith, pdfWith, pptxWith, xlsxWith } from "../../kit/documents.js";

async function reason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof UnreadableDocument) return error.reason;
    throw error;
  }
  return "read";
}

describe("readDocument", () => {
  it("reads a PDF's text layer page by page", async () => {
    const pdf = pdfWith([["Quarterly report (Q3)", "Revenue grew 12%"], ["Risks: supply chain"]]);
    const doc = await readDocument("report.pdf", pdf);
    expect(doc.kind).toBe("PDF");
    expect(doc.parts.map((p) => p.label)).toEqual(["page 1", "page 2"]);
    expect(doc.parts[0]!.text).toContain("Quarterly report (Q3)");
    expect(doc.parts[0]!.text).toContain("Revenue grew 12%");
    expect(doc.parts[1]!.text).toBe("Risks: supply chain");
  });

  it("says a PDF without a text layer is a scan", async () => {
    expect(await reason(readDocument("scan.pdf", pdfWith([[], []])))).toBe("no_text_layer");
  });

  it("reads a DOCX with its heading and its table", async () => {
    const docx = docxWith([
      { heading: "Meeting notes" },
      "We ship on Friday & celebrate.",
      [
        ["Owner", "Task"],
        ["Ana", "Release | notes"],
      ],
    ]);
    const doc = await readDocument("notes.docx", docx);
    expect(doc.parts[0]!.text).toBe(
      "# Meeting notes\n\nWe ship on Friday & celebrate.\n\n| Owner | Task |\n| --- | --- |\n| Ana | Release \\| notes |",
    );
  });

  it("shows XLSX numbers in a date or time format as dates and times, others as numbers", async () => {
    const xlsx = xlsxWith({
      Log: [
        ["Day", "At", "Both", "Custom", "Cost"],
        [
          { value: 45352, format: 14 },
          { value: 0.6041666666666666, format: 20 },
          { value: 45352.5, format: 22 },
          { value: 45352, format: 'yyyy"年"m"月"d"日"' },
          { value: 12.5, format: "#,##0.00" },
        ],
      ],
    });
    const doc = await readDocument("log.xlsx", xlsx);
    expect(doc.parts[0]!.text.split("\n")[2]).toBe(
      "| 2024-03-01 | 14:30 | 2024-03-01 12:00 | 2024-03-01 | 12.5 |",
    );
    const mac = xlsxWith({ Log: [["Day"], [{ value: 43890, format: 14 }]] }, { date1904: true });
    expect((await readDocument("mac.xlsx", mac)).parts[0]!.text).toContain("| 2024-03-01 |");
  });

  it("reads each XLSX sheet as a table, and a CSV as one", async () => {
    const xlsx = xlsxWith({
      Sales: [
        ["Region", "Total"],
        ["North", 120],
        ["South", 80],
      ],
    });
    const doc = await readDocument("sales.xlsx", xlsx);
    expect(doc.parts).toEqual([
      {
        label: 'sheet "Sales"',
        text: "| Region | Total |\n| --- | --- |\n| North | 120 |\n| South | 80 |",
      },
    ]);
    const csv = await readDocument(
      "sales.csv",
      Buffer.from('Region,Note\r\nNorth,"big, ""loud"""\r\n'),
    );
    expect(csv.parts[0]!.text).toBe('| Region | Note |\n| --- | --- |\n| North | big, "loud" |');
  });

  it("reads PPTX slides in order, HTML without its scripts, and GB18030 text", async () => {
    const deck = await readDocument("deck.pptx", pptxWith([["Intro"], ["Plan", "Step two"]]));
    expect(deck.parts).toEqual([
      { label: "slide 1", text: "Intro" },
      { label: "slide 2", text: "Plan\nStep two" },
    ]);
    const html = await readDocument(
      "page.html",
      Buffer.from(
        '<html><script>alert(1)</script><h1>Title</h1><p>See <a href="https://x.test">docs</a></p></html>',
      ),
    );
    expect(html.parts[0]!.text).toBe("Title\nSee docs (https://x.test)");
    const gbk = Buffer.from([0xc4, 0xe3, 0xba, 0xc3]); // 你好 in GB18030
    expect((await readDocument("hello.txt", gbk)).parts[0]!.text).toBe("你好");
  });

  it("refuses old binary Office files and binaries, naming what to do", async () => {
    await expect(readDocument("old.doc", Buffer.from("x"))).rejects.toThrow(/save it as \.docx/);
    expect(await reason(readDocument("photo.bin", Buffer.from([1, 0, 2, 3])))).toBe(
      "unsupported_format",
    );
    expect(await reason(readDocument("broken.docx", Buffer.from("not a zip")))).toBe("damaged");
  });
});

describe("fitDocuments", () => {
  const pages = (count: number, words: number) => ({
    kind: "PDF",
    parts: Array.from({ length: count }, (_, i) => ({
      label: `page ${i + 1}`,
      text: `word `.repeat(words).trim(),
    })),
  });

  it("keeps whole pages within the budget and names those it cut", () => {
    const [fitted] = fitDocuments([pages(10, 200)], 1000, estimateTokens);
    expect(estimateTokens(fitted!.text)).toBeLessThanOrEqual(1000);
    expect(fitted!.text).toContain("[page 3]");
    expect(fitted!.text).not.toContain("[page 5]");
    expect(fitted!.cut).toMatch(/pages \d+–10 of 10$/);
  });

  it("gives what a short document leaves to the long one", () => {
    const short = { kind: "text", parts: [{ label: "", text: "tiny note" }] };
    const [a, b] = fitDocuments([pages(10, 200), short], 1000, estimateTokens);
    expect(b).toEqual({ text: "tiny note" });
    expect(estimateTokens(a!.text)).toBeGreaterThan(800);
  });

  it("says nothing was cut when everything fits", () => {
    expect(fitDocuments([pages(2, 10)], 1000, estimateTokens)[0]!.cut).toBeUndefined();
  });
});
