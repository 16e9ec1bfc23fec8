import type { Logger } from "pino";
import type { Job, Store } from "../store/store.js";
import type { JobKind } from "./job-kind.js";
import { DeliveryNotRecordedError, type JobRun } from "./job-run.js";
import { retryOverBlips } from "./retry-over-blips.js";

export interface JobRunnerOptions {
  store: Store;
  logger: Logger;
  // biome-ignore lint/suspicious/noExplicitAny: each kind checks its own payload in parse()
  kinds: readonly JobKind<any>[];
}

/**
 * The worker's one handler: finds the job's kind, reads its payload back and runs it. A job of
 * a kind this version does not know (written by a newer replica) fails with that reason
 * instead of being dropped silently.
 */
export function createJobRunner(options: JobRunnerOptions): (job: Job) => Promise<void> {
  const kinds = new Map(options.kinds.map((kind) => [kind.kind, kind]));
  if (kinds.size !== options.kinds.length) throw new Error("two job kinds share a stored name");
  return async (job) => {
    const logger = options.logger.child({
      jobId: job.id,
      botId: job.botId,
      conversation: job.conversationKey,
    });
    const kind = kinds.get(job.kind);
    if (!kind) throw new Error(`no handler for job kind "${job.kind}"`);
    const payload: unknown = kind.parse(job.payload);
    const run: JobRun = {
      id: job.id,
      attempt: job.attempts,
      hold: { jobId: job.id, owner: job.leaseOwner ?? "" },
      previousDelivery: job.attempts > 1 ? (job.delivery ?? undefined) : undefined,
      recordDelivery: (delivery) =>
        // Under the run's own owner token: only while this run still holds the job.
        recordDelivery(options.store, job, delivery, logger),
    };
    await kind.run(payload, { job, run, logger });
  };
}

/** Waits between tries of recording a delivery: over a second in all, a blip of the store. */
const DELIVERY_RETRY_MS = [200, 400, 800] as const;

async function recordDelivery(
  store: Store,
  job: Job,
  delivery: unknown,
  logger: Logger,
): Promise<void> {
  try {
    await retryOverBlips(
      () => store.recordDelivery(job.id, job.leaseOwner ?? "", delivery),
      DELIVERY_RETRY_MS,
    );
  } catch (error) {
    logger.warn({ err: error }, "could not record where the answer is shown");
    throw new DeliveryNotRecordedError(job.id, { cause: error });
  }
}
