import { describe, expect, it } from "vitest";
import { estimateTokens } from "../../../src/conversation/estimate-tokens.js";

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
