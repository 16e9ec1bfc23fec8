import type { Logger } from "pino";
import type { Store } from "../store/store.js";

/**
 * A question that waits this long before its answer even starts has a user looking at no sign
 * of life (the typing reaction comes with the run): the point where an operator wants to know.
 */
export const BACKLOG_WARN_AFTER_MS = 10_000;
const CHECK_EVERY_MS = 5_000;
/** While behind, the warning repeats at most this often, with the queue's figures then. */
const REPEAT_EVERY_MS = 30_000;

/**
 * Watches the job queue and says in the log when answers fall behind the questions (the oldest
 * queued job older than BACKLOG_WARN_AFTER_MS: more arrive than the workers and the model get
 * through), and when they have caught up again. The figures are the store's, so on PostgreSQL
 * each replica reports the same queue. Returns the function that stops it.
 */
export function startBacklogWatch(options: {
  store: Pick<Store, "jobCounts">;
  logger: Logger;
  /** The worker's concurrency now, for the warning (the setting to raise). */
  concurrency: () => number;
  warnAfterMs?: number;
  checkEveryMs?: number;
}): () => void {
  const { store, logger } = options;
  let behindSince: number | undefined;
  let warnedAt = 0;
  let checking = false;
  const warnAfterMs = options.warnAfterMs ?? BACKLOG_WARN_AFTER_MS;

  async function check(): Promise<void> {
    if (checking) return;
    checking = true;
    try {
      const counts = await store.jobCounts();
      const now = Date.now();
      const waitedMs = counts.oldestQueuedAt === undefined ? 0 : now - counts.oldestQueuedAt;
      if (waitedMs >= warnAfterMs) {
        behindSince ??= now;
        if (now - warnedAt >= REPEAT_EVERY_MS) {
          warnedAt = now;
          logger.warn(
            {
              queued: counts.queued,
              running: counts.running,
              waiting: counts.waiting,
              oldestWaitedS: Math.round(waitedMs / 1000),
              concurrency: options.concurrency(),
            },
            "answers are falling behind the questions: jobs wait before they start (raise WORKER_CONCURRENCY if the model can take more, or add a replica)",
          );
        }
      } else if (behindSince !== undefined) {
        logger.info(
          { behindS: Math.round((now - behindSince) / 1000), queued: counts.queued },
          "answers caught up with the questions",
        );
        behindSince = undefined;
        warnedAt = 0;
      }
    } catch {
      // The store out of reach is readiness's to report; the next check tries again.
    } finally {
      checking = false;
    }
  }

  const timer = setInterval(() => void check(), options.checkEveryMs ?? CHECK_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
