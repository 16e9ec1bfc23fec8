export interface WaitForOptions {
  timeoutMs?: number;
  /** Poll interval; 10 ms keeps tests snappy without burning a core. */
  intervalMs?: number;
  /** What is being waited for, for the timeout message. */
  label?: string;
  /** Extra context appended to the timeout message (e.g. the calls seen so far). */
  describe?: () => string;
}

/**
 * Polls `predicate` until it returns a truthy value and resolves with it; rejects with a message
 * naming what was awaited when `timeoutMs` (default 5000) passes. An exception thrown by the
 * predicate rejects at once, so a broken assertion inside it is not mistaken for a timeout.
 */
export function waitFor<T>(
  predicate: () => T | undefined | null | false,
  options: WaitForOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const intervalMs = options.intervalMs ?? 10;
  const deadline = performance.now() + timeoutMs;
  return new Promise<T>((resolve, reject) => {
    const poll = () => {
      let value: T | undefined | null | false;
      try {
        value = predicate();
      } catch (error) {
        reject(error);
        return;
      }
      if (value) {
        resolve(value);
        return;
      }
      if (performance.now() >= deadline) {
        const label = options.label ?? "condition";
        const context = options.describe ? `\n${options.describe()}` : "";
        reject(new Error(`waitFor: ${label} not met within ${timeoutMs} ms${context}`));
        return;
      }
      setTimeout(poll, intervalMs);
    };
    poll();
  });
}
