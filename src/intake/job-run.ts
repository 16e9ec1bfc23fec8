import type { JobHold } from "../store/store.js";

/** The durable job a handler runs for, as far as delivering its answer cares. */
export interface JobRun {
  id: number;
  /**
   * The job as this run holds it, for the store write that finishes it together with the
   * answer (`recordExchange(…, hold)`); absent when the turn runs outside a stored job.
   */
  hold?: JobHold;
  /** 1 on the first run; more when the job was taken over after its owner died. */
  attempt: number;
  /** Where an earlier, abandoned run of this job showed its half-written answer. */
  previousDelivery?: unknown;
  /**
   * Remembers where this run shows its answer, trying again over a short blip of the store;
   * rejects with DeliveryNotRecordedError when the store does not take it. Awaited before the
   * first card shows (a take-over must be able to find it), ignored for later ones.
   */
  recordDelivery(delivery: unknown): Promise<void>;
}

/**
 * The store could not record where a run's answer shows (it is out of reach). Nothing of the
 * answer may show then: a run taking the job over could not find it to mark it, and the user
 * would read the answer twice. The worker leaves the job running; its lease runs out and the
 * job runs again (attempt + 1) once the store answers.
 */
export class DeliveryNotRecordedError extends Error {
  constructor(
    readonly jobId: number,
    options?: { cause?: unknown },
  ) {
    super(
      `job ${jobId}: the store could not record where its answer shows; it is answered again once the store is back`,
      options,
    );
    this.name = "DeliveryNotRecordedError";
  }
}
