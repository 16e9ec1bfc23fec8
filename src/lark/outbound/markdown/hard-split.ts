/** Where a forced cut may land without splitting a word or a CJK clause. */
const NATURAL_BREAK = /[\s。！？；，、：]/u;
/** Look for a natural break only in the last 30% of a piece, so pieces stay reasonably full. */
const BREAK_WINDOW = 0.3;

/**
 * Cut `text` into pieces of at most `capacity` UTF-16 units, never between the two halves of a
 * surrogate pair (emoji, rare CJK), preferring to cut just after whitespace or CJK punctuation.
 * The pieces concatenate back to `text`.
 */
export function hardSplit(text: string, capacity: number): string[] {
  if (capacity < 1) throw new RangeError(`hardSplit: capacity must be ≥ 1, got ${capacity}`);
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > capacity) {
    let cut = capacity;
    if (isLowSurrogate(rest.charCodeAt(cut)) && cut > 1) cut -= 1;
    const windowStart = Math.max(1, Math.floor(cut * (1 - BREAK_WINDOW)));
    for (let index = cut - 1; index >= windowStart; index--) {
      if (NATURAL_BREAK.test(rest.charAt(index))) {
        cut = index + 1;
        break;
      }
    }
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest !== "") pieces.push(rest);
  return pieces;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
