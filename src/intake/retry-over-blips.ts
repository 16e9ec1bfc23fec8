/**
 * Runs `attempt` until it resolves, waiting `waitsMs[i]` after the i-th failure: a store that is
 * out of reach for a moment (a restart, a cut connection) is tried again instead of failing
 * the job. Rethrows the last error once the waits are used up, or at once when `final(error)`
 * says trying again cannot help.
 */
export async function retryOverBlips<T>(
  attempt: () => Promise<T>,
  waitsMs: readonly number[],
  options: {
    final?: (error: unknown) => boolean;
    onRetry?: (error: unknown, waitMs: number) => void;
  } = {},
): Promise<T> {
  for (let tries = 0; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      const wait = waitsMs[tries];
      if (wait === undefined || options.final?.(error)) throw error;
      options.onRetry?.(error, wait);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
