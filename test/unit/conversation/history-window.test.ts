import { describe, expect, it } from "vitest";
import type { ChatTurn } from "../../../src/backends/backend.js";
import { estimateTokens, trimHistory } from "../../../src/conversation/history-window.js";

function pairs(n: number, size: number): ChatTurn[] {
  const turns: ChatTurn[] = [];
  for (let i = 0; i < n; i++) {
    turns.push({ role: "user", content: `q${i} ${"x".repeat(size)}` });
    turns.push({ role: "assistant", content: `a${i} ${"y".repeat(size)}` });
  }
  return turns;
}

describe("estimateTokens", () => {
  it("counts CJK characters as about one token each and Latin text as about four chars per token", () => {
    expect(estimateTokens("你好世界你好世界你好")).toBeGreaterThanOrEqual(10);
    const latin = estimateTokens("a".repeat(400));
    expect(latin).toBeGreaterThan(90);
    expect(latin).toBeLessThan(120);
  });

  it("counts by code point: emoji and astral ideographs are not CJK, the range edges are", () => {
    // Each pair: text, and its estimate when counted code point by code point.
    const cases: Array<[string, number]> = [
      ["", 4],
      ["Revenue 增长了 12%，日本語のカタカナ、한국어 텍스트 and 👋🏽 emoji", 29],
      ["It’s “quoted”, not CJK", 10],
      ["𠀀𠀁 astral CJK", 8],
      ["lone \ud800 surrogate \udc00", 9],
      // First and last code point of every counted range…
      ["\u3040\u30ff\u3400\u9fff\uac00\ud7af\uf900\ufaff", 12],
      // …and their neighbours just outside.
      ["\u303f\u3100\u33ff\ua000\uabff\ud7b0\uf8ff\ufb00", 6],
    ];
    for (const [text, tokens] of cases) expect(estimateTokens(text), text).toBe(tokens);
  });
});

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
