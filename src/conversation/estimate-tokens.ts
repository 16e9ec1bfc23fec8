/** The first character that can be CJK; anything below it counts as ordinary text. */
const FROM_CJK = /[\u3040-\uffff]/;

/**
 * A cheap token estimate that needs no tokenizer download: CJK characters cost about one
 * token each, other text about four characters per token. Good enough to keep a prompt
 * inside a budget; the model's own usage numbers go to the chat log.
 */
export function estimateTokens(text: string): number {
  // History estimates every replayed turn, so this is its hot loop. The regex finds where CJK
  // could start far faster than a JS loop (and at once for text V8 stores one byte per char).
  const from = text.search(FROM_CJK);
  let cjk = 0;
  // Code units, not code points: every counted range lies in the BMP below the surrogates, so
  // the count is the same as per code point, without the slow string iterator.
  for (let i = from < 0 ? text.length : from; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (
      (code >= 0x3040 && code <= 0x30ff) ||
      (code >= 0x3400 && code <= 0x9fff) ||
      (code >= 0xac00 && code <= 0xd7af) ||
      (code >= 0xf900 && code <= 0xfaff)
    ) {
      cjk++;
    }
  }
  const rest = text.length - cjk;
  return cjk + Math.ceil(rest / 4) + 4; // +4: per-message overhead of the chat format
}
