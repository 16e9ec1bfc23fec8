import type { Logger } from "pino";
import type { Job } from "../store/store.js";
import type { JobRun } from "./job-run.js";

/**
 * One kind of durable job: its stored name, how its payload is read back, what running it
 * does. A new kind is one file exporting one of these and one line in the gateway's list.
 */
export interface JobKind<Payload> {
  /** Stored in `jobs.kind`; never renamed, since queued jobs carry it across upgrades. */
  readonly kind: string;
  /** Reads a stored payload back; throws when it is not one (the job fails with the reason). */
  parse(payload: unknown): Payload;
  run(payload: Payload, context: JobContext): Promise<void>;
}

export interface JobContext {
  job: Job;
  run: JobRun;
  /** Carries the job's ids (job, bot, conversation). */
  logger: Logger;
}

/** A payload that is not what its kind stores: the job fails with this, and is not retried. */
export class PayloadError extends Error {
  override readonly name = "PayloadError";
}
