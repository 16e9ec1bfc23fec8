import { describe, expect, it } from "vitest";
import type { InboundMessage } from "../../../src/messages/inbound-message.js";
import { parseInboundMessage } from "../../../src/messages/parse-inbound-message.js";

const stored: InboundMessage = {
  botId: "default",
  eventId: "ev_1",
  messageId: "om_1",
  chatId: "oc_1",
  chatType: "p2p",
  sender: { openId: "ou_a", type: "user" },
  messageType: "post",
  text: "look [image]",
  attachments: [{ type: "image", key: "img_1" }],
  mentions: [],
  mentionsAll: false,
  createTime: "1700000000000",
  unsupported: false,
};

describe("parseInboundMessage (a job's stored payload)", () => {
  it("reads back what intake stored", () => {
    expect(parseInboundMessage(JSON.parse(JSON.stringify(stored)))).toEqual(stored);
  });

  it("brings a payload queued before attachments existed up to date", () => {
    const { attachments: _, ...rest } = stored;
    const before = { ...rest, imageKeys: ["img_1", "img_2"] };
    const read = parseInboundMessage(before);
    expect(read.attachments).toEqual([
      { type: "image", key: "img_1" },
      { type: "image", key: "img_2" },
    ]);
    expect(read).not.toHaveProperty("imageKeys");
  });

  it("keeps attachment kinds a newer version wrote, for the conversation to skip", () => {
    const newer = {
      ...stored,
      attachments: [
        { type: "file", key: "file_1" },
        { type: "image", key: "img_1" },
      ],
    };
    expect(parseInboundMessage(newer).attachments).toHaveLength(2);
  });

  it("names the field that is wrong", () => {
    expect(() => parseInboundMessage(null)).toThrow("not an object");
    expect(() => parseInboundMessage({ ...stored, messageId: "" })).toThrow("no messageId");
    expect(() => parseInboundMessage({ ...stored, chatType: "dm" })).toThrow("chatType");
    expect(() => parseInboundMessage({ ...stored, sender: { openId: "ou_a" } })).toThrow(
      "sender.openId and sender.type",
    );
    expect(() => parseInboundMessage({ ...stored, mentions: undefined })).toThrow("mentions");
  });
});
