/**
 * The arithmetic of budgets and rate limits, kept pure so it is tested on its own. Every time
 * here is the store's clock (the database's on PostgreSQL), never a replica's own.
 */

export type LimitWindow = "day" | "month";

/**
 * Where the window holding `now` starts. Days and months are the gateway's local time, as in
 * `/usage` (set `TZ`, e.g. Asia/Shanghai, where the server clock is UTC); every replica must
 * run with the same `TZ`.
 */
export function windowStart(now: number, window: LimitWindow): number {
  const date = new Date(now);
  return window === "day"
    ? new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime()
    : new Date(date.getFullYear(), date.getMonth(), 1).getTime();
}

/** Where the next window starts: when a budget of this window resets. */
export function nextWindowStart(now: number, window: LimitWindow): number {
  const date = new Date(now);
  return window === "day"
    ? new Date(date.getFullYear(), date.getMonth(), date.getDate() + 1).getTime()
    : new Date(date.getFullYear(), date.getMonth() + 1, 1).getTime();
}

/**
 * A token bucket holding at most `capacity` requests, refilled at `perMinute`: the level at
 * `now` of a bucket that held `level` at `at`. A clock that went back refills nothing, so
 * neither skew nor a step back can add requests.
 */
export function refilled(
  level: number,
  at: number,
  now: number,
  bucket: { capacity: number; perMinute: number },
): number {
  const elapsed = Math.max(0, now - at);
  return Math.min(bucket.capacity, level + (elapsed * bucket.perMinute) / 60_000);
}

/** When a bucket at `level` (below 1) holds a whole request again. */
export function bucketReadyAt(level: number, now: number, perMinute: number): number {
  if (level >= 1) return now;
  if (perMinute <= 0) return Number.POSITIVE_INFINITY;
  return now + Math.ceil(((1 - level) * 60_000) / perMinute);
}
