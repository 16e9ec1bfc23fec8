import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CARD_TABLE_LIMIT,
  renderCardBody,
  splitMarkdown,
} from "../../../src/lark/outbound/markdown/index.js";

const word = fc.stringMatching(/^[A-Za-z0-9一-龥]{1,12}$/);
const line = fc.array(word, { minLength: 1, maxLength: 30 }).map((w) => w.join(" "));
const paragraph = fc.array(line, { minLength: 1, maxLength: 4 }).map((l) => l.join("\n"));
const list = fc
  .array(line, { minLength: 1, maxLength: 8 })
  .map((l) => l.map((x) => `- ${x}`).join("\n"));
const code = fc
  .tuple(fc.constantFrom("", "ts", "python"), fc.array(line, { minLength: 1, maxLength: 40 }))
  .map(([lang, lines]) => `\`\`\`${lang}\n${lines.join("\n")}\n\`\`\``);
const table = fc
  .array(fc.tuple(word, word), { minLength: 1, maxLength: 12 })
  .map((rows) =>
    ["| a | b |", "| --- | --- |", ...rows.map(([a, b]) => `| ${a} | ${b} |`)].join("\n"),
  );
const longLine = fc
  .string({ minLength: 200, maxLength: 3000 })
  .map((s) => s.replace(/[`|\n#>*_-]/g, "x"));

const prose = fc
  .array(fc.oneof(paragraph, list, longLine), { minLength: 1, maxLength: 12 })
  .map((b) => b.join("\n\n"));
const anyMarkdown = fc
  .array(fc.oneof(paragraph, list, code, table, longLine), { minLength: 1, maxLength: 14 })
  .map((b) => b.join("\n\n"));

const fenceLines = (text: string) => text.split("\n").filter((l) => /^\s*```/.test(l)).length;
const squeeze = (text: string) => text.replace(/\s+/g, "");

describe("markdown splitting and card rendering, fuzzed", () => {
  it("cuts any answer into chunks within the limit, each with its code fences closed", () => {
    fc.assert(
      fc.property(anyMarkdown, fc.integer({ min: 200, max: 4000 }), (markdown, max) => {
        for (const chunk of splitMarkdown(markdown, max)) {
          expect(chunk.length).toBeLessThanOrEqual(max);
          expect(fenceLines(chunk) % 2).toBe(0);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("loses and doubles nothing of prose: the chunks are the answer again", () => {
    fc.assert(
      fc.property(prose, fc.integer({ min: 50, max: 2000 }), (markdown, max) => {
        expect(squeeze(splitMarkdown(markdown, max).join(""))).toBe(squeeze(markdown));
      }),
      { numRuns: 200 },
    );
  });

  it("renders any chunk with at most Lark's table limit of native tables, keeping every cell", () => {
    fc.assert(
      fc.property(anyMarkdown, (markdown) => {
        const elements = renderCardBody(markdown);
        expect(elements.filter((e) => e.tag === "table").length).toBeLessThanOrEqual(
          CARD_TABLE_LIMIT,
        );
        expect(elements.length).toBeGreaterThan(0);
        const shown = JSON.stringify(elements);
        for (const cell of markdown.matchAll(/^\| (\S+) \| (\S+) \|$/gm)) {
          if (cell[1] === "a" || cell[1] === "---") continue;
          expect(shown).toContain(cell[1]);
        }
      }),
      { numRuns: 200 },
    );
  });
});
