import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { type Job, JobNotHeldError, type Store } from "../store/store.js";
import { DeliveryNotRecordedError } from "./job-run.js";
import { type LeaseFence, runFenced } from "./lease-fence.js";

/**
 * How long a job stays with a replica that stops renewing (it died, or its event loop stalled)
 * before another takes it over: short, so a killed replica's answers resume within 5 s. It
 * is renewed four times per lease, in one statement for all of a worker's jobs.
 */
export const DEFAULT_LEASE_MS = 4_000;

export interface WorkerOptions {
  store: Store;
  logger: Logger;
  /** Jobs processed at once (always from different conversations). */
  concurrency: number;
  handle: (job: Job) => Promise<void>;
  /** A job whose owner stops renewing is taken over after this long (DEFAULT_LEASE_MS). */
  leaseMs?: number;
  /** Polling interval; intake also wakes the worker directly. */
  pollMs?: number;
  /** Unique per process, so leases say who holds a job. */
  owner?: string;
  /**
   * Bot id → at most this many of its jobs running at once, across replicas (`limits.
   * concurrency`); read at every claim, so a reload applies at once.
   */
  botCaps?: () => Readonly<Record<string, number>>;
}

/**
 * Pulls jobs from the store and runs them, one at a time per conversation, many
 * conversations in parallel. Jobs survive restarts: whatever was queued or running when the
 * process died is picked up again (running ones after their lease expires).
 */
export function createWorker(options: WorkerOptions) {
  const { store, logger } = options;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const pollMs = options.pollMs ?? 500;
  const owner = options.owner ?? `worker-${randomUUID()}`;
  // Four renewals per lease: two can fail (a slow statement, a blip) before the fence closes.
  const renewEveryMs = Math.max(100, Math.floor(leaseMs / 4));
  // A holder trusts its lease for 3/4 of it after the store confirmed it: the last quarter is
  // the margin for the store's clock and this process's monotonic one drifting apart (leases
  // are set and read with the database's clock on PostgreSQL, the machine's on SQLite).
  const trustMs = leaseMs - Math.max(renewEveryMs, Math.floor(leaseMs / 4));
  const active = new Set<Promise<void>>();
  const leases = new Map<number, HeldLease>();
  let timer: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let renewing = false;
  let claims = 0;
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
          const askedAt = performance.now();
          try {
            // A fresh owner per run: the worker may claim back a job its own stalled run still
            // thinks it holds, and the two runs must not pass for one another.
            // Never one of its own running jobs, though: a clock that jumped forward makes
            // their leases look expired (store/claim-job.ts).
            const caps = options.botCaps?.();
            job = await store.claimJob(`${owner}/${++claims}`, leaseMs, undefined, {
              exclude: [...leases.keys()],
              ...(caps ? { caps } : {}),
            });
          } catch (error) {
            logger.error({ err: error }, "could not claim a job");
            break;
          }
          if (!job) break;
          run(job, askedAt);
        }
      } while (again && !closed);
    } finally {
      pumping = false;
    }
  }

  /** One statement renews every lease this worker's runs hold; a refused one is lost. */
  async function renewAll(): Promise<void> {
    if (renewing || leases.size === 0) return;
    renewing = true;
    const held = [...leases.values()];
    const askedAt = performance.now();
    try {
      const renewed = new Set(await store.renewLeases(held, leaseMs));
      for (const lease of held) {
        if (renewed.has(lease.jobId)) lease.confirm(askedAt);
        else if (await finishedByItself(lease)) leases.delete(lease.jobId);
        else lease.lose("another run holds the job now");
      }
    } catch (error) {
      // Nothing is lost yet: each run asks again before its next effect, once its trust ends.
      logger.warn({ err: error }, "could not renew the job leases");
    } finally {
      renewing = false;
    }
  }

  /** A refused renewal of a run that just finished its job itself (with its answer). */
  async function finishedByItself(lease: HeldLease): Promise<boolean> {
    const job = await store.getJob(lease.jobId).catch(() => undefined);
    return job !== undefined && job.status !== "running" && job.leaseOwner === lease.owner;
  }

  function run(job: Job, claimedAt: number): void {
    const log = logger.child({
      jobId: job.id,
      botId: job.botId,
      conversation: job.conversationKey,
    });
    const lease = createHeldLease({
      jobId: job.id,
      owner: job.leaseOwner ?? owner,
      claimedAt,
      trustMs,
      renew: (one) => store.renewLeases([one], leaseMs),
      onLost: (why) =>
        log.warn({ why }, "lost the lease on a running job; whoever holds it now answers it"),
    });
    leases.set(job.id, lease);
    const task = (async () => {
      let outcome: "done" | "failed" = "done";
      let message: string | undefined;
      try {
        await runFenced(lease, () => options.handle(job));
      } catch (error) {
        outcome = "failed";
        message = error instanceof Error ? error.message : String(error);
        if (error instanceof DeliveryNotRecordedError) {
          // Nothing of it showed: the job stays running, and runs again once its lease runs out.
          log.warn({ err: message }, "job left to run again once the store is back");
          return;
        }
        if (lease.signal.aborted || error instanceof JobNotHeldError) {
          log.info({ err: message }, "job stopped with its lease");
          // Not this run's to finish, even as failed: the run that holds it now (or the next
          // one) answers it as attempt + 1, marking what this one showed as interrupted.
          return;
        }
        log.error({ err: error }, "job failed");
      } finally {
        leases.delete(job.id);
      }
      // Only while this run's owner token is on the job; a no-op when the answer's own write
      // already finished it (recordExchange with the run's hold).
      try {
        await store.finishJob(job.id, lease.owner, outcome, message);
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
      heartbeat = setInterval(() => void renewAll(), renewEveryMs);
      heartbeat.unref();
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
      // Renewals go on while answers drain, so a slow drain does not hand its jobs over.
      if (heartbeat) clearInterval(heartbeat);
    },
  };
}

export type Worker = ReturnType<typeof createWorker>;

interface HeldLease extends LeaseFence {
  readonly jobId: number;
  /** The owner token this run claimed the job under. */
  readonly owner: string;
  /** The store extended the lease by a request sent at `askedAt` (performance.now()). */
  confirm(askedAt: number): void;
  lose(why: string): void;
}

interface HeldLeaseOptions {
  jobId: number;
  owner: string;
  /** performance.now() when the claim was sent: the lease runs from no later than that. */
  claimedAt: number;
  /** How long after a confirmed renewal the run trusts its lease without asking. */
  trustMs: number;
  renew: (lease: { jobId: number; owner: string }) => Promise<number[]>;
  onLost: (why: string) => void;
}

/**
 * The fence of one run. Times are `performance.now()`, which does not jump with the wall
 * clock, and which a stalled process finds moved on by the length of the stall.
 */
function createHeldLease(options: HeldLeaseOptions): HeldLease {
  const { jobId, owner, trustMs } = options;
  const controller = new AbortController();
  let confirmedAt = options.claimedAt;
  let asking: Promise<boolean> | undefined;

  const lease: HeldLease = {
    jobId,
    owner,
    signal: controller.signal,
    ensure() {
      if (controller.signal.aborted) return Promise.resolve(false);
      if (performance.now() - confirmedAt < trustMs) return Promise.resolve(true);
      // Past its trust (a stall, or renewals failing): the store decides, once for all the
      // effects waiting on it.
      asking ??= (async () => {
        const askedAt = performance.now();
        try {
          const renewed = await options.renew({ jobId, owner });
          if (renewed.includes(jobId)) lease.confirm(askedAt);
          else lease.lose("another run holds the job now");
        } catch (error) {
          lease.lose(`the store could not confirm the lease: ${(error as Error).message}`);
        } finally {
          asking = undefined;
        }
        return !controller.signal.aborted;
      })();
      return asking;
    },
    confirm(askedAt) {
      if (!controller.signal.aborted) confirmedAt = Math.max(confirmedAt, askedAt);
    },
    lose(why) {
      if (controller.signal.aborted) return;
      controller.abort(new Error(why));
      options.onLost(why);
    },
  };
  return lease;
}
