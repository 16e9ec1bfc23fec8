/** The durable job a handler runs for, as far as delivering its answer cares. */
export interface JobRun {
  id: number;
  /** 1 on the first run; more when the job was taken over after its owner died. */
  attempt: number;
  /** Where an earlier, abandoned run of this job showed its half-written answer. */
  previousDelivery?: unknown;
  /** Remembers where this run shows its answer (best effort). */
  recordDelivery(delivery: unknown): void;
}
