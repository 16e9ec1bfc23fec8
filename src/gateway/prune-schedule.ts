import type { Logger } from "pino";
import { DEDUP_RETENTION_MS } from "../intake/dedup-keys.js";
import type { Store } from "../store/store.js";

const PRUNE_EVERY_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes expired dedup keys and, with a retention set, old chat-log entries: at start, then
 * hourly. Returns the function that stops it.
 */
export function startPruning(options: {
  store: Store;
  logger: Logger;
  /** Read at each run, so a reload that changes the retention applies from the next prune. */
  chatLogRetentionDays: () => number;
}): () => void {
  const { store, logger } = options;
  function prune(): void {
    store.prune(Date.now() - DEDUP_RETENTION_MS).catch((error) => {
      logger.warn({ err: error }, "pruning old dedup keys failed");
    });
    const days = options.chatLogRetentionDays();
    if (days > 0) {
      store.pruneChatLog(Date.now() - days * DAY_MS).then(
        (deleted) => {
          if (deleted > 0) logger.info({ deleted, retentionDays: days }, "chat log pruned");
        },
        (error) => logger.warn({ err: error }, "pruning the chat log failed"),
      );
    }
  }
  prune();
  const timer = setInterval(prune, PRUNE_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
