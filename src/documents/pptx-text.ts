import { type DocumentText, UnreadableDocument } from "./document-text.js";
import { elements, textOf } from "./xml-text.js";
import { zipEntries } from "./zip-entries.js";

const SLIDE = /^ppt\/slides\/slide(\d+)\.xml$/;

/**
 * A PowerPoint deck (PPTX): each slide's text, one line per paragraph, in slide-file order
 * (the order PowerPoint numbers them in). Speaker notes and pictures are left out.
 */
export function pptxText(data: Uint8Array): DocumentText {
  const entries = zipEntries(data, (name) => SLIDE.test(name) || name === "ppt/presentation.xml");
  if (!entries.has("ppt/presentation.xml")) {
    throw new UnreadableDocument("damaged", "the file has no ppt/presentation.xml: not a PPTX");
  }
  const slides = [...entries.entries()]
    .map(([name, xml]) => ({ number: Number(SLIDE.exec(name)?.[1] ?? Number.NaN), xml }))
    .filter((slide) => Number.isFinite(slide.number))
    .sort((a, b) => a.number - b.number);
  return {
    kind: "PowerPoint",
    parts: slides.map(({ number, xml }) => ({
      label: `slide ${number}`,
      text: elements(xml, "a:p")
        .map((paragraph) => textOf(paragraph, "a:t"))
        .filter((line) => line.trim() !== "")
        .join("\n"),
    })),
  };
}
