import { describe, expect, it } from "vitest";
import { cutPart, splitAnswer } from "../../../src/lark/outbound/answer-parts.js";

const strip = (text: string) => text.replace(/```[a-z]*\n?/g, "").replace(/\s+/g, "");

describe("splitting a long answer into card-sized parts", () => {
  it("leaves an answer that fits alone", () => {
    expect(cutPart("short answer", 100)).toBeUndefined();
    expect(splitAnswer("short answer", 100)).toEqual(["short answer"]);
  });

  it("cuts at paragraph breaks, keeps every part under the byte limit, and loses nothing", () => {
    const text = Array.from(
      { length: 60 },
      (_, i) => `Paragraph ${i}: 数据与文本 mixed text.`,
    ).join("\n\n");
    const parts = splitAnswer(text, 400);
    expect(parts.length).toBeGreaterThan(3);
    for (const part of parts) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(400);
    expect(parts.every((p) => /^Paragraph \d+/.test(p))).toBe(true);
    expect(strip(parts.join(""))).toBe(strip(text));
  });

  it("closes a code block cut in two and re-opens it with its language in the next part", () => {
    const code = Array.from({ length: 40 }, (_, i) => `const line${i} = ${i};`).join("\n");
    const text = `Intro.\n\n\`\`\`ts\n${code}\n\`\`\`\n\nOutro.`;
    const parts = splitAnswer(text, 300);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      // Every part has balanced fences.
      expect((part.match(/```/g) ?? []).length % 2).toBe(0);
    }
    expect(parts[1]!.startsWith("```ts\n")).toBe(true);
    expect(strip(parts.join(""))).toBe(strip(text));
  });

  it("reports how much of the source the head consumed, for the live card's next part", () => {
    const text = `${"a".repeat(50)}\n\n${"b".repeat(50)}`;
    const cut = cutPart(text, 60)!;
    expect(cut.head).toBe("a".repeat(50));
    expect(text.slice(cut.consumed).trim()).toBe("b".repeat(50));
    expect(cut.carry).toBe("");
  });
});
