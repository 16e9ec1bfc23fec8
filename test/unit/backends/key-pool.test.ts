import { describe, expect, it } from "vitest";
import {
  createKeyPool,
  RATE_LIMIT_REST_MS,
  REFUSED_KEY_REST_MS,
} from "../../../src/backends/key-pool.js";

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("key pool", () => {
  it("starts each request one key further along, trying the others after it", () => {
    const pool = createKeyPool(["sk-a", "sk-b", "sk-c"]);
    expect(pool.attempts()).toEqual([0, 1, 2]);
    expect(pool.attempts()).toEqual([1, 2, 0]);
    expect(pool.attempts()).toEqual([2, 0, 1]);
    expect(pool.attempts()).toEqual([0, 1, 2]);
    expect(pool.key(1)).toBe("sk-b");
  });

  it("leaves a resting key out until its rest is over", () => {
    const time = clock();
    const pool = createKeyPool(["sk-a", "sk-b"], time.now);
    pool.rest(0, RATE_LIMIT_REST_MS);
    expect(pool.attempts()).toEqual([1]);
    expect(pool.attempts()).toEqual([1]);
    time.advance(RATE_LIMIT_REST_MS);
    expect(pool.attempts()).toEqual([0, 1]);
  });

  it("tries the key that wakes first when every key rests, so a question still gets a real answer", () => {
    const time = clock();
    const pool = createKeyPool(["sk-a", "sk-b", "sk-c"], time.now);
    pool.rest(0, REFUSED_KEY_REST_MS);
    pool.rest(1, RATE_LIMIT_REST_MS);
    pool.rest(2, REFUSED_KEY_REST_MS);
    expect(pool.attempts()).toEqual([1]);
    // It answered after all: usable again at once.
    pool.answered(1);
    expect(pool.attempts()).toEqual([1]);
  });

  it("never rests a single key: there is nothing else to use", () => {
    const pool = createKeyPool(["sk-only"]);
    pool.rest(0, REFUSED_KEY_REST_MS);
    expect(pool.attempts()).toEqual([0]);
  });
});
