/** Failed logins allowed per address within the window before further tries are refused. */
export const LOGIN_FAILURES_ALLOWED = 5;
export const LOGIN_WINDOW_MS = 15 * 60_000;

/**
 * Counts failed logins per client address, so the admin token cannot be guessed at speed.
 * Per process: each replica counts its own, which bounds guesses by replicas × allowance.
 */
export function createLoginLimiter(now: () => number = Date.now) {
  const failures = new Map<string, { count: number; since: number }>();
  const current = (address: string) => {
    const entry = failures.get(address);
    if (entry && now() - entry.since >= LOGIN_WINDOW_MS) {
      failures.delete(address);
      return undefined;
    }
    return entry;
  };
  return {
    /** Milliseconds until this address may try again; 0 when it may now. */
    retryAfterMs(address: string): number {
      const entry = current(address);
      if (!entry || entry.count < LOGIN_FAILURES_ALLOWED) return 0;
      return entry.since + LOGIN_WINDOW_MS - now();
    },
    failed(address: string): void {
      const entry = current(address);
      if (entry) entry.count += 1;
      else failures.set(address, { count: 1, since: now() });
      // Bounded memory under a spray of addresses: the oldest entries go first.
      if (failures.size > 10_000) failures.delete(failures.keys().next().value as string);
    },
    succeeded(address: string): void {
      failures.delete(address);
    },
  };
}
