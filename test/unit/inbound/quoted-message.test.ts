import { describe, expect, it } from "vitest";
import { quotedMessageText, readBackMessage } from "../../../src/lark/inbound/quoted-message.js";

const BOT = "ou_bot";

/** A message as `GET /im/v1/messages/:id` returns it in `data.items[0]`. */
function item(fields: {
  msgType?: string;
  content: unknown;
  senderType?: string;
  mentions?: unknown;
}) {
  return {
    message_id: "om_parent",
    msg_type: fields.msgType ?? "text",
    chat_id: "oc_group",
    sender: { id: "ou_alice", id_type: "open_id", sender_type: fields.senderType ?? "user" },
    body: { content: JSON.stringify(fields.content) },
    ...(fields.mentions ? { mentions: fields.mentions } : {}),
  };
}

describe("quotedMessageText", () => {
  it("reads a person's text with mentions as names, and the bot's own mention removed", () => {
    const quoted = item({
      content: { text: "@_user_1 ask @_user_2 about the Q3 numbers" },
      mentions: [
        { key: "@_user_1", id: BOT, id_type: "open_id", name: "Helper" },
        { key: "@_user_2", id: "ou_bob", id_type: "open_id", name: "Bob" },
      ],
    });
    expect(quotedMessageText(quoted, BOT)).toBe("ask @Bob about the Q3 numbers");
  });

  it("reads a rich-text post", () => {
    const post = {
      zh_cn: { title: "Release", content: [[{ tag: "text", text: "Ship on Friday" }]] },
    };
    expect(quotedMessageText(item({ msgType: "post", content: post }), BOT)).toContain(
      "Ship on Friday",
    );
  });

  it("gives nothing for what the model cannot read or already has", () => {
    expect(
      quotedMessageText(item({ msgType: "image", content: { image_key: "img_1" } }), BOT),
    ).toBeUndefined();
    // The bot's own answers (cards) are in the conversation's history already.
    expect(
      quotedMessageText(item({ senderType: "app", content: { text: "an answer" } }), BOT),
    ).toBeUndefined();
    expect(quotedMessageText(item({ content: { text: "" } }), BOT)).toBeUndefined();
    expect(
      quotedMessageText({ ...item({ content: {} }), body: { content: "not json" } }, BOT),
    ).toBeUndefined();
    expect(quotedMessageText(undefined, BOT)).toBeUndefined();
  });
});

describe("readBackMessage", () => {
  it("gives a person's pictures, what the message replies to, and whether it is in a topic", () => {
    const image = {
      ...item({ msgType: "image", content: { image_key: "img_9" } }),
      parent_id: "om_0",
    };
    expect(readBackMessage(image, BOT)).toEqual({
      attachments: [{ type: "image", key: "img_9" }],
      parentId: "om_0",
      inThread: false,
    });
    const post = item({
      msgType: "post",
      content: { content: [[{ tag: "text", text: "look" }], [{ tag: "img", image_key: "img_a" }]] },
    });
    expect(readBackMessage({ ...post, thread_id: "omt_1" }, BOT)).toEqual({
      text: "look\n[image]",
      attachments: [{ type: "image", key: "img_a" }],
      inThread: true,
    });
  });

  it("takes no pictures from the bot's own messages, and nothing from a malformed item", () => {
    const fromBot = item({ msgType: "image", senderType: "app", content: { image_key: "img_b" } });
    expect(readBackMessage(fromBot, BOT)).toEqual({ attachments: [], inThread: false });
    const broken = { ...item({ msgType: "image", content: {} }), body: { content: "not json" } };
    expect(readBackMessage(broken, BOT)).toEqual({ attachments: [], inThread: false });
    expect(readBackMessage("nope", BOT)).toBeUndefined();
  });
});
