import { describe, expect, it } from "vitest";
import { tokensEqual } from "../../../src/lark/webhook/verify-token.js";

describe("tokensEqual", () => {
  it("is true only for identical strings", () => {
    expect(tokensEqual("vtoken123", "vtoken123")).toBe(true);
    expect(tokensEqual("vtoken123", "vtoken124")).toBe(false);
    expect(tokensEqual("vtoken123", "VTOKEN123")).toBe(false);
  });

  it("handles different lengths and empty strings without throwing", () => {
    expect(tokensEqual("short", "a much longer token value")).toBe(false);
    expect(tokensEqual("", "vtoken123")).toBe(false);
    expect(tokensEqual("", "")).toBe(true);
  });

  it("compares unicode by content", () => {
    expect(tokensEqual("令牌", "令牌")).toBe(true);
    expect(tokensEqual("令牌", "令")).toBe(false);
  });
});
