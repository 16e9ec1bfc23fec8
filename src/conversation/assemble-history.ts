import type { ChatTurn } from "../backends/backend.js";
import type { Store } from "../store/store.js";
import { trimHistory } from "./history-window.js";

/** A first guess at an exchange's size (question + answer); most are bigger, few smaller. */
const GUESSED_TOKENS_PER_EXCHANGE = 80;
/** Never more than this many exchanges, whatever the budget. */
const MAX_EXCHANGES = 400;

/**
 * The earlier turns sent with a question: the newest exchanges of this conversation that fit
 * the token budget. Loads a window sized for typical exchanges and widens it only when every
 * loaded exchange fit, so the cost follows the budget, never the size of the store.
 */
export async function assembleHistory(
  store: Store,
  botId: string,
  conversationKey: string,
  generation: number,
  budgetTokens: number,
): Promise<ChatTurn[]> {
  if (budgetTokens <= 0) return [];
  let limit = Math.min(
    MAX_EXCHANGES,
    Math.max(4, Math.ceil(budgetTokens / GUESSED_TOKENS_PER_EXCHANGE)),
  );
  for (;;) {
    const exchanges = await store.loadHistory(botId, conversationKey, generation, limit);
    const turns: ChatTurn[] = [];
    for (const exchange of exchanges) {
      turns.push({ role: "user", content: exchange.question });
      turns.push({ role: "assistant", content: exchange.answer });
    }
    const kept = trimHistory(turns, budgetTokens);
    const moreMayFit = exchanges.length === limit && kept.length === turns.length;
    if (!moreMayFit || limit >= MAX_EXCHANGES) return kept;
    limit = Math.min(MAX_EXCHANGES, limit * 4);
  }
}
