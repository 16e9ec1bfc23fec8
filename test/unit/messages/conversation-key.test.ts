import { describe, expect, it } from "vitest";
import { parseCommand } from "../../../src/conversation/commands.js";
import { conversationKey } from "../../../src/messages/conversation-key.js";

const sender = (openId: string) => ({ openId, type: "user" });

describe("conversationKey", () => {
  it("gives a p2p chat one history whoever writes", () => {
    expect(conversationKey({ chatType: "p2p", chatId: "oc_1", sender: sender("ou_a") })).toBe(
      conversationKey({ chatType: "p2p", chatId: "oc_1", sender: sender("ou_b") }),
    );
  });

  it("separates two users in one group", () => {
    const a = conversationKey({ chatType: "group", chatId: "oc_g", sender: sender("ou_a") });
    const b = conversationKey({ chatType: "group", chatId: "oc_g", sender: sender("ou_b") });
    expect(a).not.toBe(b);
  });

  it("keys a topic thread by the thread, shared by everyone in it", () => {
    const a = conversationKey({
      chatType: "group",
      chatId: "oc_g",
      threadId: "omt_1",
      sender: sender("ou_a"),
    });
    const b = conversationKey({
      chatType: "group",
      chatId: "oc_g",
      threadId: "omt_1",
      sender: sender("ou_b"),
    });
    const other = conversationKey({
      chatType: "group",
      chatId: "oc_g",
      threadId: "omt_2",
      sender: sender("ou_a"),
    });
    const plain = conversationKey({ chatType: "group", chatId: "oc_g", sender: sender("ou_a") });
    expect(a).toBe(b);
    expect(a).not.toBe(other);
    expect(a).not.toBe(plain);
  });
});

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
