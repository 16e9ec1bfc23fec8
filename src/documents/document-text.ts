/**
 * The text of a document, as far as a model can be given it: tables as markdown tables, one
 * section per page or slide or sheet, so that a budget can cut whole parts and say which.
 */
export interface DocumentText {
  /** What kind of document it was read as (`PDF`, `Word`, `Excel`, `CSV`, `text`…). */
  kind: string;
  /** Its parts in order (pages, slides, sheets; one part for a flat text). */
  parts: DocumentPart[];
}

export interface DocumentPart {
  /** `page 3`, `slide 2`, `sheet "Q3"`; empty for a document that has no parts. */
  label: string;
  text: string;
}

/** Why a document gave no text, for the person who sent it. */
export type UnreadableReason = "no_text_layer" | "unsupported_format" | "damaged" | "empty";

/** A document that could not be read, and why. */
export class UnreadableDocument extends Error {
  readonly reason: UnreadableReason;
  constructor(reason: UnreadableReason, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "UnreadableDocument";
    this.reason = reason;
  }
}
