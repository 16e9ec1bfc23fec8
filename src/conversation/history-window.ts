import type { ChatTurn } from "../backends/backend.js";

/**
 * A cheap token estimate that needs no tokenizer download: CJK characters cost about one
 * token each, other text about four characters per token. Good enough to keep a prompt
 * inside a budget; the model's own usage numbers go to the chat log.
 */
export function estimateTokens(text: string): number {
  let cjk = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
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

/**
 * Keeps the most recent turns whose estimated size fits the budget, dropping whole
 * question/answer pairs from the oldest end so the model never sees an orphan answer.
 * `turns` is oldest first; so is the result.
 */
export function trimHistory(turns: ChatTurn[], budgetTokens: number): ChatTurn[] {
  let used = 0;
  let start = turns.length;
  while (start > 0) {
    const turn = turns[start - 1]!;
    const cost = estimateTokens(turn.content);
    if (used + cost > budgetTokens) break;
    used += cost;
    start--;
  }
  // Never start on an assistant turn: its question was cut.
  while (start < turns.length && turns[start]?.role === "assistant") start++;
  return turns.slice(start);
}
