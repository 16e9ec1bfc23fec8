import type { Logger } from "pino";
import type { Store } from "../store/store.js";
import type { BotRuntime } from "./bot-runtime.js";
import type { JobRun } from "./ports.js";
import { runTurn } from "./run-turn.js";
import type { RunningAnswers } from "./running-answers.js";

/**
 * Regenerate: answer the same question again in a new card, and take the old answer out of
 * the history so the model never sees both.
 */
export async function regenerateAnswer(
  bot: BotRuntime,
  run: JobRun,
  conversationKey: string,
  messageId: string,
  deps: { store: Store; running: RunningAnswers; logger: Logger },
): Promise<void> {
  const exchanges = await deps.store.listExchanges({ botId: bot.id, conversationKey, limit: 500 });
  const earlier = exchanges.filter((e) => e.messageId === messageId);
  const last = earlier.at(-1);
  if (!last) {
    deps.logger.warn("regenerate: no exchange for that message");
    return;
  }
  for (const exchange of earlier)
    if (exchange.inHistory) await deps.store.supersedeExchange(exchange.id);
  await runTurn(
    {
      bot,
      app: bot.appFor(last.chatId),
      conversationKey,
      run,
      senderOpenId: last.senderOpenId,
      question: last.question,
      target: {
        botId: bot.id,
        chatId: last.chatId,
        messageId,
        inThread: conversationKey.startsWith("thread:"),
        // One new card per regeneration, stable if this job runs again after a crash.
        idempotencyKey: `r${earlier.length}${run.attempt > 1 ? `a${run.attempt}` : ""}-${messageId}`,
      },
    },
    deps,
  );
}
