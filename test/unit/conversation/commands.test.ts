import { describe, expect, it } from "vitest";
import { parseCommand } from "../../../src/conversation/commands.js";

describe("parseCommand", () => {
  it("treats the exact word Reset and its aliases as a reset", () => {
    for (const word of ["Reset", " Reset ", "/reset", "/clear", "/new", "清除"]) {
      expect(parseCommand(word)).toEqual({ type: "reset" });
    }
  });

  it("sends everything else to the LLM, lower-case reset included", () => {
    for (const text of ["reset", "RESET", "Reset please", "how do I reset my password?"]) {
      expect(parseCommand(text)).toBeUndefined();
    }
  });
});
