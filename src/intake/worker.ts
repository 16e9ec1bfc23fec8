import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { Job, Store } from "../store/store.js";

export interface WorkerOptions {
  store: Store;
  logger: Logger;
  /** Jobs processed at once (always from different conversations). */
  concurrency: number;
  handle: (job: Job) => Promise<void>;
  /** A job whose owner stops renewing is taken over after this long. */
  leaseMs?: number;
  /** Polling interval; intake also wakes the worker directly. */
  pollMs?: number;
  /** Unique per process, so leases say who holds a job. */
  owner?: string;
}

/**
 * Pulls jobs from the store and runs them, one at a time per conversation, many
 * conversations in parallel. Jobs survive restarts: whatever was queued or running when the
 * process died is picked up again (running ones after their lease expires).
 */
export function createWorker(options: WorkerOptions) {
  const { store, logger } = options;
  const leaseMs = options.leaseMs ?? 60_000;
  const pollMs = options.pollMs ?? 500;
  const owner = options.owner ?? `worker-${randomUUID()}`;
  const active = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let pumping = false;
  let again = false;
  let closed = false;

  async function pump(): Promise<void> {
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    try {
      do {
        again = false;
        while (!closed && active.size < options.concurrency) {
          let job: Job | undefined;
          try {
            job = await store.claimJob(owner, leaseMs);
          } catch (error) {
            logger.error({ err: error }, "could not claim a job");
            break;
          }
          if (!job) break;
          run(job);
        }
      } while (again && !closed);
    } finally {
      pumping = false;
    }
  }

  function run(job: Job): void {
    const log = logger.child({
      jobId: job.id,
      botId: job.botId,
      conversation: job.conversationKey,
    });
    const renew = setInterval(
      () => {
        store.renewLease(job.id, owner, leaseMs).then(
          (held) => {
            if (!held) log.warn("lost the lease on a running job");
          },
          (error) => log.warn({ err: error }, "could not renew a lease"),
        );
      },
      Math.max(1000, Math.floor(leaseMs / 3)),
    );
    const task = (async () => {
      let outcome: "done" | "failed" = "done";
      let message: string | undefined;
      try {
        await options.handle(job);
      } catch (error) {
        outcome = "failed";
        message = error instanceof Error ? error.message : String(error);
        log.error({ err: error }, "job failed");
      } finally {
        clearInterval(renew);
      }
      try {
        await store.finishJob(job.id, owner, outcome, message);
      } catch (error) {
        log.error({ err: error }, "could not mark a job finished");
      }
    })();
    active.add(task);
    task.finally(() => {
      active.delete(task);
      if (!closed) void pump();
    });
  }

  return {
    owner,
    start(): void {
      timer = setInterval(() => void pump(), pollMs);
      timer.unref();
      void pump();
    },
    /** Called by intake when a job was just stored, so it starts without waiting for a poll. */
    wake(): void {
      if (!closed) void pump();
    },
    get activeCount(): number {
      return active.size;
    },
    /** Stops claiming and waits (up to `graceMs`) for running jobs to finish. */
    async close(graceMs = 10_000): Promise<void> {
      closed = true;
      if (timer) clearInterval(timer);
      const all = Promise.allSettled([...active]);
      await Promise.race([all, new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
    },
  };
}

export type Worker = ReturnType<typeof createWorker>;
