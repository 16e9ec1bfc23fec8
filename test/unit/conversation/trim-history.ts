import type { ChatTurn } from "../../../src/backends/backend.js";
import { estimateTokens } from "../../../src/conversation/estimate-tokens.js";

/**
 * The history policy in its plainest form, over the whole history in memory: the reference
 * that `assembleHistory` (which pages through the store) must agree with.
 *
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
