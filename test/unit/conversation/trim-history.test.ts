import { describe, expect, it } from "vitest";
import type { ChatTurn } from "../../../src/backends/backend.js";
import { estimateTokens } from "../../../src/conversation/estimate-tokens.js";
import { trimHistory } from "./trim-history.js";

function pairs(n: number, size: number): ChatTurn[] {
  const turns: ChatTurn[] = [];
  for (let i = 0; i < n; i++) {
    turns.push({ role: "user", content: `q${i} ${"x".repeat(size)}` });
    turns.push({ role: "assistant", content: `a${i} ${"y".repeat(size)}` });
  }
  return turns;
}

/** The reference policy itself, so the comparison in assemble-history.test.ts means something. */
describe("trimHistory", () => {
  it("keeps everything that fits", () => {
    const turns = pairs(3, 10);
    expect(trimHistory(turns, 10_000)).toEqual(turns);
  });

  it("drops the oldest turns first and keeps the newest within budget", () => {
    const turns = pairs(50, 400); // ~105 tokens per turn
    const kept = trimHistory(turns, 1000);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(turns.length);
    expect(kept.at(-1)).toEqual(turns.at(-1));
    const cost = kept.reduce((sum, t) => sum + estimateTokens(t.content), 0);
    expect(cost).toBeLessThanOrEqual(1000);
  });

  it("never starts with an answer whose question was cut", () => {
    const turns = pairs(10, 400);
    for (const budget of [150, 250, 350, 460, 700]) {
      const kept = trimHistory(turns, budget);
      if (kept.length > 0) expect(kept[0]!.role).toBe("user");
    }
  });

  it("sends no history with a zero budget", () => {
    expect(trimHistory(pairs(2, 5), 0)).toEqual([]);
  });
});
