import { AsyncLocalStorage } from "node:async_hooks";

/**
 * A job's lease as the run holding it sees it. Another replica takes the job over once the
 * lease's deadline passes in the store; a run whose event loop stalled past that deadline
 * (a long GC, a stopped VM, SIGSTOP) must not wake up and write a second answer. So every
 * visible or durable effect of a job (a Lark call, a chat-log row) first asks `ensure()`:
 * while the last renewal the store confirmed still covers now (by the local monotonic clock,
 * which moved on during a stall), that is free; past it, the run asks the store once more,
 * and carries on only if the job is still its own (each run claims under its own owner
 * token, so "still its own" means nobody else has run it since).
 */
export interface LeaseFence {
  /** Resolves true when the run may go on; false once the job belongs to someone else. */
  ensure(): Promise<boolean>;
  /** Aborted once the lease is known lost (another run holds the job, or it cannot be told). */
  readonly signal: AbortSignal;
}

/** Thrown instead of performing an effect whose job this process no longer holds. */
export class LeaseLostError extends Error {
  constructor(readonly effect: string) {
    super(`the job's lease was lost before ${effect}; another replica answers it`);
    this.name = "LeaseLostError";
  }
}

const current = new AsyncLocalStorage<LeaseFence>();

/** Runs a job's handler so that everything it starts is fenced by `fence`. */
export function runFenced<T>(fence: LeaseFence, run: () => Promise<T>): Promise<T> {
  return current.run(fence, run);
}

/**
 * Rejects with LeaseLostError when the code runs for a job whose lease is gone; resolves at
 * once outside jobs (intake, doctor, admin), which hold no lease.
 */
export async function ensureLeaseHeld(effect: string): Promise<void> {
  const fence = current.getStore();
  if (fence !== undefined && !(await fence.ensure())) throw new LeaseLostError(effect);
}

/** The fence of the job the caller runs for, if any (to abort its model call with the lease). */
export function currentLeaseFence(): LeaseFence | undefined {
  return current.getStore();
}
