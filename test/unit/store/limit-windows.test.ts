import { describe, expect, it } from "vitest";
import {
  bucketReadyAt,
  nextWindowStart,
  refilled,
  windowStart,
} from "../../../src/store/limit-windows.js";

const local = (y: number, m: number, d: number, h = 0, min = 0) =>
  new Date(y, m - 1, d, h, min).getTime();

describe("budget windows", () => {
  it("a day runs from local midnight to the next", () => {
    const now = local(2025, 3, 14, 15, 30);
    expect(windowStart(now, "day")).toBe(local(2025, 3, 14));
    expect(nextWindowStart(now, "day")).toBe(local(2025, 3, 15));
  });

  it("a month runs from the 1st to the 1st, across a year's end", () => {
    const now = local(2025, 12, 31, 23, 59);
    expect(windowStart(now, "month")).toBe(local(2025, 12, 1));
    expect(nextWindowStart(now, "month")).toBe(local(2026, 1, 1));
  });

  it("the last day of a month ends at the first of the next", () => {
    expect(nextWindowStart(local(2024, 2, 29, 12), "day")).toBe(local(2024, 3, 1));
  });
});

describe("token buckets", () => {
  const bucket = { capacity: 5, perMinute: 6 };

  it("refills at its rate, up to its capacity", () => {
    expect(refilled(0, 0, 10_000, bucket)).toBeCloseTo(1);
    expect(refilled(2, 0, 30_000, bucket)).toBeCloseTo(5);
    expect(refilled(4.5, 0, 600_000, bucket)).toBe(5);
  });

  it("a clock that went back adds nothing", () => {
    expect(refilled(0.5, 10_000, 5_000, bucket)).toBe(0.5);
  });

  it("says when the next whole request fits", () => {
    expect(bucketReadyAt(0.5, 1_000, 6)).toBe(1_000 + 5_000);
    expect(bucketReadyAt(1, 1_000, 6)).toBe(1_000);
    expect(bucketReadyAt(0, 0, 0)).toBe(Number.POSITIVE_INFINITY);
  });
});
