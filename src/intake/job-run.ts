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
   * Remembers where this run shows its answer; never rejects (a failure is logged). Awaited
   * where a take-over must be able to find it, ignored elsewhere.
   */
  recordDelivery(delivery: unknown): Promise<void>;
}
