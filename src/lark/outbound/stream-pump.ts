import { LarkApiError } from "./lark-api-error.js";

export interface StreamPumpOptions {
  /** Shows the latest full text (one API call). */
  send: (text: string) => Promise<void>;
  /** Normal spacing between updates. */
  intervalMs: number;
  /** This many new characters flush sooner than `intervalMs`, but never before `floorMs`. */
  charThreshold: number;
  /** Hard minimum between two calls: the platform's per-card/per-message rate limit. */
  floorMs: number;
  /** Told once when updates stop working for good (the final delivery still happens). */
  onBroken?: (error: unknown) => void;
}

/**
 * Coalescing, throttled delivery of a growing text: at most one call in flight, always the
 * latest text, the first text at once, then by time and by characters. Rate-limit answers
 * push the next call back (`x-ogw-ratelimit-reset`) instead of dropping anything; `flush()`
 * waits until the latest text was shown (or updates broke).
 */
export function createStreamPump(options: StreamPumpOptions) {
  let latest = "";
  let shown = "";
  let lastSentAt = Number.NEGATIVE_INFINITY;
  let notBefore = 0;
  let inFlight: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let broken = false;
  let stopped = false;
  let calls = 0;
  const idle = new Set<() => void>();

  function settleIdle(): void {
    if (inFlight || timer) return;
    if (latest === shown || broken || stopped) for (const wake of [...idle]) wake();
  }

  function schedule(): void {
    if (broken || stopped || inFlight || timer || latest === shown) {
      settleIdle();
      return;
    }
    const now = performance.now();
    const since = now - lastSentAt;
    const pending = latest.length - shown.length;
    const wait = Math.max(
      notBefore - now,
      options.floorMs - since,
      pending >= options.charThreshold ? 0 : options.intervalMs - since,
      0,
    );
    timer = setTimeout(fire, wait);
  }

  function fire(): void {
    timer = undefined;
    const text = latest;
    lastSentAt = performance.now();
    calls++;
    inFlight = options.send(text).then(
      () => {
        shown = text;
      },
      (error: unknown) => {
        if (error instanceof LarkApiError && error.retryable) {
          // Back off as Lark asks; the next call carries the newest text anyway.
          notBefore = performance.now() + (error.retryAfterMs ?? options.intervalMs * 2);
          return;
        }
        broken = true;
        options.onBroken?.(error);
      },
    );
    inFlight.finally(() => {
      inFlight = undefined;
      schedule();
    });
  }

  return {
    push(text: string): void {
      latest = text;
      schedule();
    },
    /** Resolves once the latest text is shown, or updates broke or stopped. */
    flush(): Promise<void> {
      return new Promise<void>((resolve) => {
        const done = () => {
          idle.delete(done);
          resolve();
        };
        idle.add(done);
        schedule();
      });
    },
    /** No more calls after the one in flight; resolves when that one settled. */
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await inFlight;
    },
    get broken(): boolean {
      return broken;
    },
    get calls(): number {
      return calls;
    },
  };
}

export type StreamPump = ReturnType<typeof createStreamPump>;
