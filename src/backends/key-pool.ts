/**
 * Several API keys for one app (Feishu-OpenAI's `OPENAI_KEY=sk-1,sk-2,…`): requests take turns
 * (round robin), and a key that was refused or ran out of quota rests while the others answer.
 * Keys are only ever named by their position (`key 2`), never by value.
 */

/** 429 without a Retry-After: OpenAI's limits are per minute (RPM/TPM), so after a minute the
 * window has moved on. */
export const RATE_LIMIT_REST_MS = 60_000;

/**
 * 401/403 and `insufficient_quota` do not fix themselves by waiting: a person has to replace
 * the key or top up the account. Trying again every 10 minutes costs one failed call per key
 * in that time and picks up a fixed key without a restart.
 */
export const REFUSED_KEY_REST_MS = 10 * 60_000;

/** A Retry-After longer than this is treated as a refused key: the key is no use for now. */
export const MAX_REST_MS = REFUSED_KEY_REST_MS;

export interface KeyPool {
  readonly size: number;
  /**
   * The keys to try for one request, in order: the usable ones, starting one further along
   * than the previous request. When every key is resting, only the one that wakes first, so
   * a question still gets a real answer or a real error rather than none.
   */
  attempts(): number[];
  key(index: number): string;
  /** Keeps `index` out of `attempts()` for `ms`. */
  rest(index: number, ms: number): void;
  /** The key answered: it is usable again at once, whatever its rest said. */
  answered(index: number): void;
}

/**
 * @example
 * const pool = createKeyPool(["sk-1", "sk-2"]);
 * for (const index of pool.attempts()) { … on 429: pool.rest(index, RATE_LIMIT_REST_MS) }
 */
export function createKeyPool(keys: readonly string[], now: () => number = Date.now): KeyPool {
  if (keys.length === 0) throw new Error("a key pool needs at least one key");
  const restingUntil = keys.map(() => 0);
  let next = 0;

  return {
    size: keys.length,
    attempts() {
      const start = next;
      next = (next + 1) % keys.length;
      const at = now();
      const order: number[] = [];
      for (let step = 0; step < keys.length; step++) {
        const index = (start + step) % keys.length;
        if (restingUntil[index]! <= at) order.push(index);
      }
      if (order.length > 0) return order;
      let soonest = 0;
      for (const [index, until] of restingUntil.entries()) {
        if (until < restingUntil[soonest]!) soonest = index;
      }
      return [soonest];
    },
    key: (index) => keys[index]!,
    rest(index, ms) {
      // With one key there is nothing else to use: resting it would only refuse questions.
      if (keys.length > 1) restingUntil[index] = now() + ms;
    },
    answered(index) {
      restingUntil[index] = 0;
    },
  };
}
