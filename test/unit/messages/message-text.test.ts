import { describe, expect, it } from "vitest";
import { normalizeMessageEvent } from "../../../src/lark/inbound/normalize-message.js";
import { mentionsBot, messageText } from "../../../src/messages/message-text.js";
import { BOT_OPEN_ID, textEnvelope } from "../inbound/message-event-for-tests.js";

const BOT = { key: "@_user_1", openId: BOT_OPEN_ID, name: "Helper Bot" };
const BOB = { key: "@_user_2", openId: "ou_bob", name: "Bob" };

/** `null` sends no `mentions` field at all, as Lark does for messages without mentions. */
function message(text: string, mentions: (typeof BOT)[] | null = [BOT, BOB]) {
  return normalizeMessageEvent("bot-a", textEnvelope(text, mentions ?? undefined));
}

describe("messageText", () => {
  it("removes the bot mention at the start", () => {
    expect(messageText(message("@_user_1 what is 2+2?"), BOT_OPEN_ID)).toBe("what is 2+2?");
  });

  it("removes the bot mention in the middle and at the end without doubling spaces", () => {
    expect(messageText(message("please @_user_1 help"), BOT_OPEN_ID)).toBe("please help");
    expect(messageText(message("help me @_user_1"), BOT_OPEN_ID)).toBe("help me");
    expect(messageText(message("thanks @_user_1, really"), BOT_OPEN_ID)).toBe("thanks, really");
  });

  it("removes every occurrence when the bot is mentioned twice", () => {
    const twice = message("@_user_1 @_user_3 hi @_user_1 there", [
      BOT,
      { key: "@_user_3", openId: BOT_OPEN_ID, name: "Helper Bot" },
    ]);
    expect(messageText(twice, BOT_OPEN_ID)).toBe("hi there");
  });

  it("keeps line breaks next to a removed mention", () => {
    expect(messageText(message("@_user_1\nline one\nline two"), BOT_OPEN_ID)).toBe(
      "line one\nline two",
    );
  });

  it("replaces other users' mentions by their name", () => {
    expect(messageText(message("@_user_1 summarize what @_user_2 said"), BOT_OPEN_ID)).toBe(
      "summarize what @Bob said",
    );
  });

  it("does not confuse @_user_1 with @_user_10", () => {
    const many = message("@_user_10 and @_user_1 hi", [
      BOT,
      { key: "@_user_10", openId: "ou_ten", name: "Ten" },
    ]);
    expect(messageText(many, BOT_OPEN_ID)).toBe("@Ten and hi");
  });

  it("turns @_all into @all and keeps unknown placeholders", () => {
    expect(messageText(message("@_all @_user_9 meeting now", []), BOT_OPEN_ID)).toBe(
      "@all @_user_9 meeting now",
    );
  });

  it("names the bot like anyone else when its open_id is unknown", () => {
    expect(messageText(message("@_user_1 hi"), undefined)).toBe("@Helper Bot hi");
  });

  it("leaves text without mentions untouched apart from trimming", () => {
    expect(messageText(message("  plain  text \n", null), BOT_OPEN_ID)).toBe("plain  text");
  });
});

describe("mentionsBot", () => {
  it("is true only when a mention carries the bot's open_id", () => {
    expect(mentionsBot(message("@_user_1 hi"), BOT_OPEN_ID)).toBe(true);
    expect(mentionsBot(message("@_user_2 hi", [BOB]), BOT_OPEN_ID)).toBe(false);
    expect(mentionsBot(message("hi", null), BOT_OPEN_ID)).toBe(false);
  });

  it("never counts @_all, and never matches by name", () => {
    expect(mentionsBot(message("@_all hi", []), BOT_OPEN_ID)).toBe(false);
    const impostor = { key: "@_user_1", openId: "ou_someone", name: "Helper Bot" };
    expect(mentionsBot(message("@_user_1 hi", [impostor]), BOT_OPEN_ID)).toBe(false);
  });

  it("is false when the bot's open_id is unknown", () => {
    expect(mentionsBot(message("@_user_1 hi"), undefined)).toBe(false);
    expect(mentionsBot(message("@_user_1 hi"), "")).toBe(false);
  });
});
