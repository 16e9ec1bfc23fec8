import type { ChatTurn } from "../backends/backend.js";
import type { HistoryExchange, Store } from "../store/store.js";
import { estimateTokens } from "./estimate-tokens.js";

/** A first guess at an exchange's size (question + answer); most are bigger, few smaller. */
const GUESSED_TOKENS_PER_EXCHANGE = 80;
/** Never more than this many exchanges, whatever the budget. */
const MAX_EXCHANGES = 400;
/** The smallest page worth a query. */
const MIN_PAGE = 4;

/**
 * The earlier turns sent with a question: the newest exchanges of this conversation that fit
 * the token budget, oldest first. Whole exchanges only, so the model never sees an answer
 * whose question was cut. Loads a page sized for typical exchanges and pages further back
 * only while every exchange loaded so far fit; no row is read twice, so the cost follows the
 * budget, never the size of the store.
 */
export async function assembleHistory(
  store: Store,
  botId: string,
  conversationKey: string,
  generation: number,
  budgetTokens: number,
): Promise<ChatTurn[]> {
  if (budgetTokens <= 0) return [];
  const kept: HistoryExchange[] = []; // newest first
  let used = 0;
  let limit = Math.min(
    MAX_EXCHANGES,
    Math.max(MIN_PAGE, Math.ceil(budgetTokens / GUESSED_TOKENS_PER_EXCHANGE)),
  );
  let beforeId: number | undefined;
  for (;;) {
    const page = await store.loadHistory(botId, conversationKey, generation, { limit, beforeId });
    for (const exchange of page) {
      const cost = estimateTokens(exchange.question) + estimateTokens(exchange.answer);
      if (used + cost > budgetTokens) return toTurns(kept);
      used += cost;
      kept.push(exchange);
    }
    const room = MAX_EXCHANGES - kept.length;
    if (page.length < limit || room <= 0) return toTurns(kept);
    beforeId = page.at(-1)!.id;
    // Size the next page from the exchanges seen so far, with slack for smaller ones: one more
    // query costs far more than a few rows read in vain.
    const remaining = (budgetTokens - used) / (used / kept.length);
    limit = Math.min(room, Math.max(MIN_PAGE, Math.ceil(remaining * 1.5)));
  }
}

/** Oldest first, as the backend expects. */
function toTurns(newestFirst: HistoryExchange[]): ChatTurn[] {
  const turns: ChatTurn[] = [];
  for (let i = newestFirst.length - 1; i >= 0; i--) {
    const exchange = newestFirst[i]!;
    turns.push({ role: "user", content: exchange.question });
    turns.push({ role: "assistant", content: exchange.answer });
  }
  return turns;
}
