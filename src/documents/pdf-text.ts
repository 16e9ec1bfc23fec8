import { type DocumentPart, type DocumentText, UnreadableDocument } from "./document-text.js";

/** Pages read of one PDF: a longer one will not fit a prompt anyway, and each page costs time. */
const MAX_PAGES = 300;

/**
 * A PDF's text layer, page by page (pdf.js, its legacy build, which runs on Node without a
 * canvas or a browser). A PDF whose pages carry no text at all is a scan: it is refused as
 * `no_text_layer`, so the person hears that instead of an answer made up from nothing.
 */
export async function pdfText(data: Uint8Array): Promise<DocumentText> {
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  let document: Awaited<ReturnType<typeof pdfjs.getDocument>["promise"]>;
  try {
    document = await pdfjs.getDocument({
      // pdf.js takes the buffer over; a copy keeps the caller's bytes intact.
      data: new Uint8Array(data),
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      verbosity: 0,
    }).promise;
  } catch (error) {
    const locked = error instanceof Error && error.name === "PasswordException";
    throw new UnreadableDocument(
      "damaged",
      locked ? "the PDF is protected by a password" : "the file is not a readable PDF",
      { cause: error },
    );
  }
  try {
    const parts: DocumentPart[] = [];
    const pages = Math.min(document.numPages, MAX_PAGES);
    for (let number = 1; number <= pages; number++) {
      const page = await document.getPage(number);
      const content = await page.getTextContent();
      let text = "";
      for (const item of content.items) {
        if (!("str" in item)) continue;
        text += item.str;
        if (item.hasEOL) text += "\n";
      }
      page.cleanup();
      parts.push({ label: `page ${number}`, text: text.replace(/[ \t]+\n/g, "\n").trim() });
    }
    if (parts.every((part) => part.text === "")) {
      throw new UnreadableDocument(
        "no_text_layer",
        "the PDF has no text layer (a scan or photos of pages)",
      );
    }
    return { kind: "PDF", parts };
  } finally {
    await document.destroy();
  }
}
