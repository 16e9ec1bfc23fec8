import { describe, expect, it } from "vitest";
import { InboundError } from "../../../src/lark/inbound/inbound-error.js";
import { normalizeMessageEvent } from "../../../src/lark/inbound/normalize-message.js";
import type { LarkEnvelope } from "../../../src/lark/lark-envelope.js";
import { BOT_OPEN_ID, messageEnvelope, textEnvelope } from "./message-event-for-tests.js";

describe("normalizeMessageEvent", () => {
  it("normalizes a text message in a group", () => {
    const message = normalizeMessageEvent("bot-a", messageEnvelope());
    expect(message).toEqual({
      botId: "bot-a",
      eventId: "ev_1",
      messageId: "om_1",
      chatId: "oc_1",
      chatType: "group",
      sender: { openId: "ou_alice", userId: "alice", unionId: "on_alice", type: "user" },
      messageType: "text",
      text: "hello",
      mentions: [],
      mentionsAll: false,
      createTime: "1700000000123",
      unsupported: false,
    });
    // Persisted as JSON: no undefined keys, survives a round trip unchanged.
    expect(JSON.parse(JSON.stringify(message))).toEqual(message);
  });

  it("keeps mention placeholders and reads the mentions", () => {
    const message = normalizeMessageEvent(
      "bot-a",
      textEnvelope("@_user_1 ask @_user_2", [
        { key: "@_user_1", openId: BOT_OPEN_ID, name: "Bot" },
        { key: "@_user_2", openId: "ou_bob", name: "Bob" },
      ]),
    );
    expect(message.text).toBe("@_user_1 ask @_user_2");
    expect(message.mentions).toEqual([
      { key: "@_user_1", openId: BOT_OPEN_ID, name: "Bot" },
      { key: "@_user_2", openId: "ou_bob", name: "Bob" },
    ]);
    expect(message.mentionsAll).toBe(false);
  });

  it("flags @_all, keeps mentions without an open_id, skips entries without a key", () => {
    const envelope = textEnvelope("@_all standup", [{ key: "@_user_1", name: "Guest" }]);
    const event = envelope.event.message as Record<string, unknown>;
    (event.mentions as unknown[]).push({ name: "no key" }, "junk");
    const message = normalizeMessageEvent("bot-a", envelope);
    expect(message.mentionsAll).toBe(true);
    expect(message.mentions).toEqual([{ key: "@_user_1", name: "Guest" }]);
  });

  it("copies thread fields and a p2p chat type; treats empty ids as absent", () => {
    const message = normalizeMessageEvent(
      "bot-a",
      messageEnvelope({
        message: { chat_type: "p2p", thread_id: "omt_1", root_id: "om_root", parent_id: "" },
      }),
    );
    expect(message.chatType).toBe("p2p");
    expect(message.threadId).toBe("omt_1");
    expect(message.rootId).toBe("om_root");
    expect("parentId" in message).toBe(false);
  });

  it("reads the sender type, so other bots can be ignored", () => {
    const message = normalizeMessageEvent(
      "bot-a",
      messageEnvelope({ sender: { sender_type: "app", sender_id: { open_id: "ou_other_bot" } } }),
    );
    expect(message.sender).toEqual({ openId: "ou_other_bot", type: "app" });
  });

  it("converts posts to text", () => {
    const content = {
      title: "Report",
      content: [
        [
          { tag: "text", text: "see " },
          { tag: "a", href: "https://x.test", text: "doc" },
        ],
      ],
    };
    const message = normalizeMessageEvent(
      "bot-a",
      messageEnvelope({ message: { message_type: "post", content: JSON.stringify(content) } }),
    );
    expect(message.text).toBe("Report\nsee [doc](https://x.test)");
    expect(message.unsupported).toBe(false);
  });

  it("reads the image key of an image message and of each image in a post, in order", () => {
    const normalize = (type: string, content: unknown) =>
      normalizeMessageEvent(
        "bot-a",
        messageEnvelope({ message: { message_type: type, content: JSON.stringify(content) } }),
      );
    const image = normalize("image", { image_key: "img_v3_a" });
    expect([image.unsupported, image.text, image.attachments]).toEqual([
      false,
      "",
      [{ type: "image", key: "img_v3_a" }],
    ]);

    const post = normalize("post", {
      content: [
        [
          { tag: "text", text: "before " },
          { tag: "img", image_key: "img_v3_b" },
        ],
        [{ tag: "media", file_key: "file_v2_video", image_key: "img_v3_cover" }],
        [{ tag: "img", image_key: "img_v3_c" }],
      ],
    });
    // A video's cover is not a picture the user sent.
    expect(post.attachments).toEqual([
      { type: "image", key: "img_v3_b" },
      { type: "image", key: "img_v3_c" },
    ]);
    expect(post.text).toBe("before [image]\n[video]\n[image]");

    // No images: no key at all, so the persisted payload stays as it was.
    expect(normalize("text", { text: "hi" })).not.toHaveProperty("attachments");
    expect(() => normalize("image", {})).toThrow(InboundError);
  });

  it("reads a voice message as its audio, with the length Lark reports in milliseconds", () => {
    const normalize = (content: unknown) =>
      normalizeMessageEvent(
        "bot-a",
        messageEnvelope({ message: { message_type: "audio", content: JSON.stringify(content) } }),
      );
    const voice = normalize({ file_key: "file_v3_voice", duration: 2155 });
    expect(voice).toMatchObject({ unsupported: false, text: "", messageType: "audio" });
    expect(voice.attachments).toEqual([{ type: "audio", key: "file_v3_voice", durationMs: 2155 }]);
    // A length Lark left out (or sent as text) is unknown, not a reason to drop the message.
    expect(normalize({ file_key: "f", duration: "2s" }).attachments).toEqual([
      { type: "audio", key: "f", durationMs: 0 },
    ]);
    expect(() => normalize({ duration: 2000 })).toThrow(InboundError);
  });

  const read = (type: string, content: unknown) =>
    normalizeMessageEvent(
      "bot-a",
      messageEnvelope({
        message: { message_id: "om_m", message_type: type, content: JSON.stringify(content) },
      }),
    );

  it("gives every other Lark message type a faithful text form or an attachment", () => {
    const forms: Array<[string, unknown, string]> = [
      [
        "media",
        { file_key: "f", image_key: "img_1", file_name: "x.mp4", duration: 2000 },
        "[video: x.mp4, 2 s]",
      ],
      ["share_chat", { chat_id: "oc_2" }, "[shared group card: oc_2]"],
      ["share_user", { user_id: "ou_2" }, "[shared contact card: ou_2]"],
      [
        "location",
        { name: "Tower A", longitude: "116.4", latitude: "39.9" },
        "[location: Tower A, latitude 39.9, longitude 116.4]",
      ],
      [
        "todo",
        {
          task_id: "t",
          summary: { title: "Write notes", content: [[{ tag: "text", text: "by Friday" }]] },
          due_time: "1714555800000",
        },
        "[task]\nWrite notes\nby Friday\ndue 2024-05-01 09:30 UTC",
      ],
      [
        "share_calendar_event",
        { summary: "Review", start_time: "1714555800000", end_time: "1714559400000" },
        "[calendar event: Review, 2024-05-01 09:30 UTC – 2024-05-01 10:30 UTC]",
      ],
      ["calendar", { summary: "Standup" }, "[calendar event: Standup]"],
      [
        "system",
        {
          template: "{from_user} invited {to_chatters} to this chat",
          from_user: ["Ana"],
          to_chatters: ["Bo", "Cy"],
        },
        "[system message: Ana invited Bo, Cy to this chat]",
      ],
      [
        "interactive",
        {
          title: "Build failed",
          elements: [
            [{ tag: "text", text: "main #42" }],
            [
              { tag: "button", text: "Retry" },
              { tag: "a", text: "logs", href: "https://ci.test/42" },
            ],
          ],
        },
        "[card]\nBuild failed\nmain #42\nRetry logs (https://ci.test/42)",
      ],
    ];
    for (const [type, content, text] of forms) {
      const message = read(type, content);
      expect([type, message.unsupported, message.text]).toEqual([type, false, text]);
    }
    expect(read("file", { file_key: "f", file_name: "test.txt" }).attachments).toEqual([
      { type: "file", key: "f", name: "test.txt" },
    ]);
    expect(read("merge_forward", { content: "Merged and Forwarded Message" }).attachments).toEqual([
      { type: "forward", key: "om_m" },
    ]);
    expect(read("sticker", { file_key: "f" })).toMatchObject({ unsupported: false, text: "" });
  });

  it("marks message types it does not know unsupported with empty text", () => {
    const samples: Record<string, unknown> = {
      hologram: { beam: 1 },
      // Names that live on Object.prototype are not converters either.
      constructor: { text: "x" },
      toString: { text: "x" },
    };
    for (const [type, content] of Object.entries(samples)) {
      const message = read(type, content);
      expect([type, message.unsupported, message.text]).toEqual([type, true, ""]);
    }
  });

  it("throws InboundError for envelopes that are not well-formed message events", () => {
    const message = messageEnvelope().event.message as Record<string, unknown>;
    const broken: [string, LarkEnvelope][] = [
      [
        "other event",
        {
          ...messageEnvelope(),
          header: { ...messageEnvelope().header, event_type: "im.message.read_v1" },
        },
      ],
      ["v1", { uuid: "u", type: "event_callback", token: "t", event: { type: "message" } }],
      ["no message", { ...messageEnvelope(), event: { sender: messageEnvelope().event.sender } }],
      ["no sender", { ...messageEnvelope(), event: { message } }],
      ["no message_id", messageEnvelope({ message: { message_id: undefined } })],
      ["no chat_id", messageEnvelope({ message: { chat_id: "" } })],
      ["no chat_type", messageEnvelope({ message: { chat_type: undefined } })],
      ["no sender open_id", messageEnvelope({ sender: { sender_id: { user_id: "alice" } } })],
      ["no sender_id", messageEnvelope({ sender: { sender_id: undefined } })],
      ["no sender_type", messageEnvelope({ sender: { sender_type: undefined } })],
      ["content not JSON", messageEnvelope({ message: { content: "{oops" } })],
      ["content not object", messageEnvelope({ message: { content: "[1]" } })],
      ["content not string", messageEnvelope({ message: { content: { text: "hi" } } })],
      ["text not string", messageEnvelope({ message: { content: '{"text":1}' } })],
      [
        "post without content",
        messageEnvelope({ message: { message_type: "post", content: '{"title":"t"}' } }),
      ],
      ["no create_time", messageEnvelope({ message: { create_time: undefined } })],
    ];
    for (const [name, envelope] of broken) {
      let thrown: unknown;
      try {
        normalizeMessageEvent("bot-a", envelope);
      } catch (error) {
        thrown = error;
      }
      expect([name, thrown instanceof InboundError]).toEqual([name, true]);
      expect((thrown as Error).message).not.toBe("");
    }
  });
});
