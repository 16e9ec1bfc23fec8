import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ConversationScope,
  conversationKey,
  formatConversationKey,
  isThreadConversation,
  mayActOn,
  parseConversationKey,
} from "../../../src/messages/conversation-key.js";

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

/** Lark ids (`oc_…`, `ou_…`, `omt_…`): letters, digits, `_` and `-`, never a `:`. */
const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/);
const scope: fc.Arbitrary<ConversationScope> = fc.oneof(
  fc.record({ type: fc.constant("p2p" as const), chatId: id }),
  fc.record({ type: fc.constant("thread" as const), threadId: id }),
  fc.record({ type: fc.constant("group" as const), chatId: id, senderOpenId: id }),
);

describe("parseConversationKey", () => {
  it("reads back every key it builds (round trip)", () => {
    fc.assert(
      fc.property(scope, (s) => {
        expect(parseConversationKey(formatConversationKey(s))).toEqual(s);
      }),
    );
  });

  it("keeps the stored shape of keys written before it existed", () => {
    expect(parseConversationKey("p2p:oc_1")).toEqual({ type: "p2p", chatId: "oc_1" });
    expect(parseConversationKey("thread:omt_1")).toEqual({ type: "thread", threadId: "omt_1" });
    expect(parseConversationKey("group:oc_g:ou_a")).toEqual({
      type: "group",
      chatId: "oc_g",
      senderOpenId: "ou_a",
    });
  });

  it("refuses what is not a key, whatever the string", () => {
    for (const bad of ["", "p2p", "p2p:", "dm:oc_1", "group:oc_g", "group:oc_g:", "group::ou_a"]) {
      expect(parseConversationKey(bad)).toBeUndefined();
    }
    fc.assert(
      fc.property(fc.string(), (text) => {
        const parsed = parseConversationKey(text);
        // Anything it accepts is a key it would build the same way.
        if (parsed) expect(formatConversationKey(parsed)).toBe(text);
      }),
    );
  });
});

describe("mayActOn", () => {
  it("lets only the member a group conversation belongs to act on it", () => {
    expect(mayActOn("group:oc_g:ou_a", "ou_a")).toBe(true);
    expect(mayActOn("group:oc_g:ou_a", "ou_b")).toBe(false);
    // A member whose id ends like another's is still someone else.
    expect(mayActOn("group:oc_g:ou_xa", "a")).toBe(false);
  });

  it("lets everyone in a p2p chat or topic act, and nobody on a string that is not a key", () => {
    expect(mayActOn("p2p:oc_1", "ou_b")).toBe(true);
    expect(mayActOn("thread:omt_1", "ou_b")).toBe(true);
    expect(mayActOn("forged", "ou_b")).toBe(false);
  });

  it("tells topic conversations apart", () => {
    expect(isThreadConversation("thread:omt_1")).toBe(true);
    expect(isThreadConversation("group:oc_g:ou_a")).toBe(false);
  });
});
