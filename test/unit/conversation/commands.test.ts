import { describe, expect, it } from "vitest";
import { commandTable, parseCommand } from "../../../src/conversation/commands.js";

describe("parseCommand", () => {
  it("treats the exact word Reset and its aliases as an immediate reset", () => {
    for (const word of ["Reset", " Reset ", "/reset", "/new"]) {
      expect(parseCommand(word)).toEqual({ type: "reset" });
    }
  });

  it("knows Feishu-OpenAI's slash words and Chinese aliases", () => {
    expect(parseCommand("/help")).toEqual({ type: "help" });
    expect(parseCommand("帮助")).toEqual({ type: "help" });
    expect(parseCommand("/Help")).toEqual({ type: "help" });
    expect(parseCommand("/clear")).toEqual({ type: "clear" });
    expect(parseCommand("清除")).toEqual({ type: "clear" });
    expect(parseCommand("/roles")).toEqual({ type: "roles" });
    expect(parseCommand("角色列表")).toEqual({ type: "roles" });
    expect(parseCommand("/ai_mode")).toEqual({ type: "ai_mode" });
    expect(parseCommand("发散模式")).toEqual({ type: "ai_mode" });
    expect(parseCommand("/balance")).toEqual({ type: "usage" });
    expect(parseCommand("余额")).toEqual({ type: "usage" });
    expect(parseCommand("/usage")).toEqual({ type: "usage" });
  });

  it("reads the role after /system or 角色扮演, with a space or a colon", () => {
    expect(parseCommand("/system You are a translator.")).toEqual({
      type: "system",
      prompt: "You are a translator.",
    });
    expect(parseCommand("角色扮演：你是一名翻译")).toEqual({
      type: "system",
      prompt: "你是一名翻译",
    });
    expect(parseCommand("/system")).toEqual({ type: "system", prompt: "" });
    expect(parseCommand("/model gpt-4o")).toEqual({ type: "model", name: "gpt-4o" });
    expect(parseCommand("/model")).toEqual({ type: "model" });
  });

  it("sends everything else to the model: lower-case reset, unknown slash words, text after a word", () => {
    for (const text of [
      "reset",
      "RESET",
      "Reset please",
      "how do I reset my password?",
      "/weather",
      "帮助我写一封信",
      "/help me write a letter",
      "/systemd is an init system",
    ]) {
      expect(parseCommand(text)).toBeUndefined();
    }
  });

  it("follows a bot's settings: a command turned off is a question, a renamed one answers its new word", () => {
    const table = commandTable({ ai_mode: false, help: ["/h", "求助"] });
    expect(parseCommand("/ai_mode", table)).toBeUndefined();
    expect(parseCommand("/help", table)).toBeUndefined();
    expect(parseCommand("/h", table)).toEqual({ type: "help" });
    expect(parseCommand("求助", table)).toEqual({ type: "help" });
    expect(parseCommand("/clear", table)).toEqual({ type: "clear" });
    expect(parseCommand("Reset", table)).toEqual({ type: "reset" });
  });
});
