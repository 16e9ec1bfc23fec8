import type { Logger } from "pino";
import type { GatewayConfig } from "../config/config.js";
import type { Store } from "../store/store.js";
import { pruneOnce } from "./retention.js";

const PRUNE_EVERY_MS = 60 * 60 * 1000;

/**
 * Runs `pruneOnce` at start, then hourly. Returns the function that stops it.
 */
export function startPruning(options: {
  store: Store;
  logger: Logger;
  /** Read at each run, so a reload that changes a retention applies from the next prune. */
  config: () => Pick<GatewayConfig, "chatLogRetentionDays" | "bots">;
  /**
   * The clock the cutoffs are taken from: Lark's (lark/lark-clock.ts), so a machine clock that
   * jumped forward does not forget dedup keys that Lark's re-pushes still need.
   */
  now?: () => number;
}): () => void {
  const { store, logger } = options;
  function prune(): void {
    const started = performance.now();
    pruneOnce(store, options.config(), options.now ? { now: options.now() } : {}).then(
      (report) => {
        const exchanges = Object.values(report.exchanges).reduce((a, b) => a + b, 0);
        if (report.dedupKeys + report.jobs + report.pendingFiles + report.pauses + exchanges === 0)
          return;
        logger.info(
          { ...report, ms: Math.round(performance.now() - started) },
          "old dedup keys, jobs, file rows and chat log pruned",
        );
      },
      (error) => logger.warn({ err: error }, "pruning failed; tried again in an hour"),
    );
  }
  prune();
  const timer = setInterval(prune, PRUNE_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
