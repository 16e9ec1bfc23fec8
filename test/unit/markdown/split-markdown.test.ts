import { describe, expect, it } from "vitest";
import {
  CARD_SIZE_LIMIT_BYTES,
  cardBodySize,
  renderCardBody,
  splitMarkdown,
} from "../../../src/lark/outbound/markdown/index.js";
import { longAnswer } from "./llm-answers-for-tests.js";

const FENCE_ONLY_LINE = /^[ \t]*(?:`{3,}|~{3,})[^\n`]*$/gm;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Everything except fence lines and whitespace, in order: what a reader must still get. */
function substance(text: string): string {
  return text.replace(FENCE_ONLY_LINE, "").replace(/\s+/g, "");
}

function fenceLines(chunk: string): string[] {
  return chunk.match(FENCE_ONLY_LINE) ?? [];
}

describe("splitMarkdown", () => {
  it("splits a 40 KB answer into chunks under the limit without losing anything", () => {
    const answer = longAnswer(40 * 1024, 150);
    expect(Buffer.byteLength(answer)).toBeGreaterThanOrEqual(40 * 1024);
    const limit = 4000;

    const chunks = splitMarkdown(answer, limit);

    expect(chunks.length).toBeGreaterThan(answer.length / limit);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(limit);
      expect(chunk.trim()).not.toBe("");
      expect(chunk).not.toMatch(LONE_SURROGATE);
      // Every chunk renders on its own: fences are balanced.
      expect(fenceLines(chunk).length % 2).toBe(0);
    }
    expect(substance(chunks.join("\n"))).toBe(substance(answer));
  });

  it("re-opens a code block longer than the limit with its language in every chunk", () => {
    const answer = longAnswer(40 * 1024, 150);
    const code = /```python\n[\s\S]*?\n```/.exec(answer)?.[0] ?? "";
    expect(code.length).toBeGreaterThan(4000);

    const pieces = splitMarkdown(answer, 4000).filter((chunk) => chunk.includes("result_"));

    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) {
      const fences = fenceLines(piece);
      expect(fences).toContain("```python");
      expect(fences.at(-1)).toBe("```");
    }
    // Every code line arrives exactly once.
    const codeLines = pieces.flatMap((piece) =>
      piece.split("\n").filter((l) => l.includes("result_")),
    );
    expect(codeLines).toEqual(code.split("\n").filter((line) => line.includes("result_")));
  });

  it("moves a code block that fits to the next chunk instead of cutting it", () => {
    const intro = `${"这是一段说明文字，用来占据空间。".repeat(20)}\n\n`;
    const code = `\`\`\`ts\n${Array.from({ length: 30 }, (_, i) => `const v${i} = ${i};`).join("\n")}\n\`\`\``;
    const answer = `${intro}${intro}${code}\n\n结束。`;

    const chunks = splitMarkdown(answer, intro.length * 2 + 100);

    expect(chunks.filter((chunk) => chunk.includes("```ts"))).toEqual([
      expect.stringContaining(code),
    ]);
    expect(chunks.every((chunk) => fenceLines(chunk).length % 2 === 0)).toBe(true);
  });

  it("does not cut a code block inside a list item that is cut elsewhere", () => {
    const notes = (label: string) =>
      Array.from({ length: 8 }, (_, i) => `   ${label} ${i}，Lark 会渲染这段文字。`).join("\n");
    const code = "   ```js\n   console.log(1);\n   console.log(2);\n   ```";
    const answer = `1. 步骤一：写代码\n${notes("说明")}\n${code}\n${notes("后续")}\n2. 步骤二`;

    const chunks = splitMarkdown(answer, 150);

    expect(chunks.length).toBeGreaterThan(2);
    const withCode = chunks.filter((chunk) => chunk.includes("console.log"));
    expect(withCode).toHaveLength(1);
    expect(withCode[0]).toContain("```js\nconsole.log(1);\nconsole.log(2);\n```");
    expect(substance(chunks.join(""))).toBe(substance(answer));
  });

  it("cuts between paragraphs first, so joining the chunks gives the answer back", () => {
    const paragraphs = Array.from(
      { length: 12 },
      (_, i) =>
        `第 ${i + 1} 段：Lark 卡片（card）最多 30 KB，超过时要拆分成多条消息。Part ${i + 1} ends here.`,
    );
    const answer = paragraphs.join("\n\n");

    const chunks = splitMarkdown(answer, 200);

    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((chunk) => chunk.length <= 200)).toBe(true);
    expect(chunks.join("\n\n")).toBe(answer);
  });

  it("cuts a long CJK paragraph after punctuation and never inside a character", () => {
    const sentence = "飞书机器人收到消息后，先确认事件（ack），再交给后台处理😀。";
    const answer = sentence.repeat(40);

    const chunks = splitMarkdown(answer, 101);

    expect(chunks.join("")).toBe(answer);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(101);
      expect(chunk).not.toMatch(LONE_SURROGATE);
    }
    expect(chunks.slice(0, -1).every((chunk) => /[，。）]$/.test(chunk))).toBe(true);
  });

  it("repeats the header row when a table is cut", () => {
    const rows = Array.from({ length: 40 }, (_, i) => `| 用户${i} | ${i * 3} | 活跃 |`);
    const answer = `统计：\n\n| 用户 | 消息数 | 状态 |\n|---|---:|:-:|\n${rows.join("\n")}`;

    const chunks = splitMarkdown(answer, 300);

    const withRows = chunks.filter((chunk) => /\| 用户\d+ \|/.test(chunk));
    expect(withRows.length).toBeGreaterThan(1);
    for (const chunk of withRows) {
      expect(chunk).toMatch(
        /^(?:统计：\n\n)?\| 用户 \| 消息数 \| 状态 \|\n\|---\|---:\|:-:\|\n\| 用户\d+/,
      );
      expect(renderCardBody(chunk).filter((element) => element.tag === "table")).toHaveLength(1);
    }
    const sent = withRows.flatMap((chunk) =>
      chunk.split("\n").filter((line) => /用户\d/.test(line)),
    );
    expect(sent).toEqual(rows);
  });

  it("starts a chunk cut inside a list item at the margin, not as an indented code block", () => {
    const item = Array.from({ length: 20 }, (_, i) => `    - 子项 ${i}：说明文字 detail ${i}`);
    const answer = `- 父项\n${item.join("\n")}\n- 下一个父项`;

    const chunks = splitMarkdown(answer, 200);

    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk).not.toMatch(/^ {4}/);
    expect(substance(chunks.join(""))).toBe(substance(answer));
  });

  it("keeps each chunk of a long answer renderable within Lark's 30 KB card limit", () => {
    const answer = longAnswer(60 * 1024, 40);
    expect(cardBodySize(renderCardBody(answer))).toBeGreaterThan(CARD_SIZE_LIMIT_BYTES);

    for (const chunk of splitMarkdown(answer, 8000)) {
      expect(cardBodySize(renderCardBody(chunk))).toBeLessThan(CARD_SIZE_LIMIT_BYTES);
    }
  });

  it("returns nothing for blank input and rejects a useless limit", () => {
    expect(splitMarkdown(" \n\n ", 100)).toEqual([]);
    expect(() => splitMarkdown("text", 0)).toThrow(RangeError);
    expect(() => splitMarkdown("text", 2.5)).toThrow(RangeError);
  });
});
