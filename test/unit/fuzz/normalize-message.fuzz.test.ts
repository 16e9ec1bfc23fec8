import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InboundError } from "../../../src/lark/inbound/inbound-error.js";
import { normalizeMessageEvent } from "../../../src/lark/inbound/normalize-message.js";
import type { LarkEnvelope } from "../../../src/lark/lark-envelope.js";

/** Strings people and bots really send: control characters, RTL, emoji, placeholders, huge. */
const hostile = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: "grapheme", maxLength: 100 }),
  fc.constantFrom(
    "@_user_1 hi",
    "@_all @_user_9",
    "\u202e\u202dreversed",
    "\u0000\u0007\u001b[31m",
    "👨‍👩‍👧‍👦".repeat(50),
    "x".repeat(20_000),
  ),
);

/** A post's content: nested paragraphs of text, at, img, link and unknown nodes. */
const postNode = fc.oneof(
  fc.record({ tag: fc.constant("text"), text: hostile }),
  fc.record({ tag: fc.constant("at"), user_id: hostile, user_name: hostile }),
  fc.record({ tag: fc.constant("img"), image_key: fc.string({ maxLength: 30 }) }),
  fc.record({ tag: fc.constant("a"), text: hostile, href: hostile }),
  fc.record({ tag: fc.string({ maxLength: 10 }), other: fc.jsonValue() }),
);
const postContent = fc.record({
  title: fc.option(hostile, { nil: undefined }),
  content: fc.array(fc.array(postNode, { maxLength: 8 }), { maxLength: 8 }),
});

const content = fc.oneof(
  fc.record({ text: hostile }).map((c) => ["text", JSON.stringify(c)] as const),
  postContent.map((c) => ["post", JSON.stringify(c)] as const),
  postContent.map((c) => ["post", JSON.stringify({ zh_cn: c })] as const),
  fc
    .record({ image_key: fc.string({ maxLength: 30 }) })
    .map((c) => ["image", JSON.stringify(c)] as const),
  fc
    .record({ file_key: fc.string(), duration: fc.integer() })
    .map((c) => ["audio", JSON.stringify(c)] as const),
  fc.tuple(
    fc.string({ maxLength: 20 }),
    fc.jsonValue().map((v) => JSON.stringify(v)),
  ),
  fc.tuple(fc.constantFrom("text", "post", "image"), fc.string({ maxLength: 50 })),
);

function envelope(messageType: string, raw: string, mentions: unknown): LarkEnvelope {
  return {
    schema: "2.0",
    header: {
      event_id: "ev_1",
      event_type: "im.message.receive_v1",
      create_time: "1",
      app_id: "cli_x",
      token: "t",
      tenant_key: "k",
    },
    event: {
      sender: { sender_id: { open_id: "ou_1" }, sender_type: "user" },
      message: {
        message_id: "om_1",
        chat_id: "oc_1",
        chat_type: "group",
        message_type: messageType,
        content: raw,
        create_time: "1",
        mentions,
      },
    },
  } as unknown as LarkEnvelope;
}

describe("message normalization, fuzzed", () => {
  it("never throws anything but InboundError, and keeps the text within the content's size", () => {
    fc.assert(
      fc.property(content, fc.jsonValue(), ([messageType, raw], mentions) => {
        try {
          const message = normalizeMessageEvent("bot", envelope(messageType, raw, mentions));
          expect(message.text.length).toBeLessThanOrEqual(raw.length);
          expect(Array.isArray(message.mentions)).toBe(true);
          for (const mention of message.mentions) expect(typeof mention.key).toBe("string");
          expect(JSON.parse(JSON.stringify(message))).toEqual(message);
        } catch (error) {
          expect(error).toBeInstanceOf(InboundError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
