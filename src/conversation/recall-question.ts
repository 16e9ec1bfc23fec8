import { recalledKey } from "../intake/dedup-keys.js";
import type { Store } from "../store/store.js";
import type { RunningAnswers } from "./running-answers.js";

/** Whether the user took this message back (by any replica's record). */
export function wasRecalled(store: Store, botId: string, messageId: string): Promise<boolean> {
  return store.hasKey(recalledKey(botId, messageId));
}

export interface RecallDeps {
  store: Store;
  running: RunningAnswers;
  /** Reaches the replica writing the answer, when it is not this one (PostgreSQL). */
  broadcastStop?: (botId: string, messageId: string) => Promise<void>;
}

/**
 * A user took their question back: an answer still being written stops (here, or on the
 * replica writing it), and one not started yet never starts. What was already shown stays,
 * marked stopped. Runs on the ack path: one insert, and a notification at most.
 */
export async function recallQuestion(
  botId: string,
  messageId: string,
  deps: RecallDeps,
): Promise<{ stoppedHere: boolean }> {
  await deps.store.rememberKey(recalledKey(botId, messageId));
  const stoppedHere = deps.running.stop(botId, messageId);
  if (!stoppedHere && deps.broadcastStop) await deps.broadcastStop(botId, messageId);
  return { stoppedHere };
}
