import { closingLine, fenceOpenAtEnd } from "./fence-line.js";

/** A last line holding only fence markers (after indentation/quote markers): a closing fence being typed. */
const PARTIAL_CLOSING = /^(?:[ \t]*>)*[ \t]*(`+|~+)$/;

/**
 * The text to show while an answer is still streaming. A half-written fenced code block would
 * render everything after its opening fence as broken markup until the closing fence arrives, so
 * an unclosed fence is closed temporarily (a half-typed closing fence such as "``" is completed
 * instead of followed by a second one). Everything else is returned unchanged; the final answer
 * goes through `renderCardBody`.
 *
 * While a fence is open the result is not a prefix of the next one, so Lark replaces the text
 * instead of animating the delta; that is the price of not flickering.
 *
 * @example streamingSafeMarkdown("```ts\nconst a = 1") // "```ts\nconst a = 1\n```"
 */
export function streamingSafeMarkdown(partial: string): string {
  const fence = fenceOpenAtEnd(partial);
  if (fence === undefined) return partial;

  const lastLineStart = partial.lastIndexOf("\n") + 1;
  const typed = PARTIAL_CLOSING.exec(partial.slice(lastLineStart))?.[1];
  if (lastLineStart > 0 && typed?.[0] === fence.marker && typed.length < fence.length) {
    return partial + fence.marker.repeat(fence.length - typed.length);
  }
  return `${partial}${partial.endsWith("\n") ? "" : "\n"}${closingLine(fence)}`;
}
