import { closingLine, fenceOpenAtEnd } from "./markdown/fence-line.js";

/**
 * A card holds at most 30 KB of JSON; native tables, the toolbar and the footer add to the
 * text. Keeping each card's text under this many UTF-8 bytes leaves room for them.
 */
export const PART_TEXT_BYTES = 18_000;

export interface PartCut {
  /** Text that stays in the current card (fences closed). */
  head: string;
  /** How many characters of the source text the head consumed. */
  consumed: number;
  /** What the next card's text starts with (a re-opened fence), before the remaining text. */
  carry: string;
}

/**
 * Where to end a card whose text outgrew `maxBytes`: at the last paragraph break that fits,
 * else the last line break, else mid-line. A code block cut in two is closed in this card and
 * re-opened, with its language, in the next; nothing is lost.
 */
export function cutPart(text: string, maxBytes: number = PART_TEXT_BYTES): PartCut | undefined {
  if (Buffer.byteLength(text) <= maxBytes) return undefined;
  let limit = 0;
  let bytes = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char);
    if (bytes + size > maxBytes) break;
    bytes += size;
    limit += char.length;
  }
  const window = text.slice(0, limit);
  let cut = window.lastIndexOf("\n\n");
  if (cut < limit / 2) cut = window.lastIndexOf("\n");
  if (cut < limit / 2) cut = Math.max(limit, 1);
  const head = text.slice(0, cut);
  const fence = fenceOpenAtEnd(head);
  return {
    head: fence ? `${head.replace(/\n*$/, "")}\n${closingLine(fence)}` : head,
    consumed: cut,
    carry: fence ? `${fence.line}\n` : "",
  };
}

/** A finished answer split into card-sized texts. */
export function splitAnswer(text: string, maxBytes: number = PART_TEXT_BYTES): string[] {
  const parts: string[] = [];
  let rest = text;
  for (;;) {
    const cut = cutPart(rest, maxBytes);
    if (!cut) {
      parts.push(rest);
      return parts;
    }
    parts.push(cut.head);
    rest = cut.carry + rest.slice(cut.consumed).replace(/^\n+/, "");
  }
}
