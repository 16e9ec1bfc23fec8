import { describe, expect, it } from "vitest";
import {
  type CardElement,
  cardBodySize,
  renderCardBody,
} from "../../../src/lark/outbound/markdown/index.js";
import { COMPARISON_ANSWER } from "./llm-answers-for-tests.js";

describe("cardBodySize", () => {
  it("counts UTF-8 bytes of the JSON, so CJK text counts three bytes a character", () => {
    const latin: CardElement[] = [{ tag: "markdown", content: "a".repeat(1000) }];
    const cjk: CardElement[] = [{ tag: "markdown", content: "中".repeat(1000) }];
    expect(cardBodySize(cjk) - cardBodySize(latin)).toBe(2000);
    expect(cardBodySize(cjk)).toBe(new TextEncoder().encode(JSON.stringify(cjk)).length);
  });

  it("grows with the content of a rendered card", () => {
    const one = cardBodySize(renderCardBody(COMPARISON_ANSWER));
    const two = cardBodySize(renderCardBody(`${COMPARISON_ANSWER}\n\n${COMPARISON_ANSWER}`));
    expect(two).toBeGreaterThan(one * 1.8);
  });
});
