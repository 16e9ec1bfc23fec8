import { describe, expect, it } from "vitest";
import {
  createThinkTagSplitter,
  type SplitPiece,
} from "../../../src/backends/think-tag-splitter.js";

function run(chunks: string[]): { text: string; reasoning: string } {
  const splitter = createThinkTagSplitter();
  const pieces: SplitPiece[] = [];
  for (const chunk of chunks) pieces.push(...splitter.push(chunk));
  pieces.push(...splitter.flush());
  return {
    text: pieces
      .filter((p) => p.kind === "text")
      .map((p) => p.text)
      .join(""),
    reasoning: pieces
      .filter((p) => p.kind === "reasoning")
      .map((p) => p.text)
      .join(""),
  };
}

describe("think tag splitter", () => {
  it("moves a leading <think> block out of the answer", () => {
    expect(run(["<think>Let me see.</think>\n\nThe answer is 4."])).toEqual({
      text: "The answer is 4.",
      reasoning: "Let me see.",
    });
  });

  it("handles tags cut across chunks", () => {
    const whole = "<think>step 1, step 2</think>Final: 42";
    for (let cut = 1; cut < whole.length; cut++) {
      expect(run([whole.slice(0, cut), whole.slice(cut)])).toEqual({
        text: "Final: 42",
        reasoning: "step 1, step 2",
      });
    }
  });

  it("leaves text without tags alone, including a literal <think> mentioned later", () => {
    expect(run(["Use the ", "<think>", " tag like this."])).toEqual({
      text: "Use the <think> tag like this.",
      reasoning: "",
    });
    expect(run(["plain ", "answer <"])).toEqual({ text: "plain answer <", reasoning: "" });
  });
});
