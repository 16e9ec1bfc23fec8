/** Sliding-window counter per key, for the per-card and per-message limits Lark enforces. */
export interface RateWindow {
  /** Counts a hit unless `limit` hits already happened within the window; `ok:false` when limited. */
  hit(key: string, limit: number, now?: number): { ok: boolean; retryAfterMs: number };
  clear(): void;
}

export function createRateWindow(windowMs: number): RateWindow {
  const hits = new Map<string, number[]>();
  return {
    hit(key, limit, now = performance.now()) {
      if (limit <= 0) return { ok: true, retryAfterMs: 0 };
      const recent = (hits.get(key) ?? []).filter((t) => now - t < windowMs);
      if (recent.length >= limit) {
        hits.set(key, recent);
        return { ok: false, retryAfterMs: windowMs - (now - (recent[0] ?? now)) };
      }
      recent.push(now);
      hits.set(key, recent);
      return { ok: true, retryAfterMs: 0 };
    },
    clear() {
      hits.clear();
    },
  };
}
