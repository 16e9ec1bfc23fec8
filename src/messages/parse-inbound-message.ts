import { type Attachment, type InboundMessage, imageAttachments } from "./inbound-message.js";
import { isRecord } from "./is-record.js";

/**
 * Reads a stored InboundMessage back (a job's payload). Checks what the conversation relies
 * on, and brings older shapes up to date: payloads queued before attachments existed carried
 * `imageKeys`.
 *
 * @throws Error naming the first field that is wrong.
 */
export function parseInboundMessage(payload: unknown): InboundMessage {
  if (!isRecord(payload)) throw new Error("the message payload is not an object");
  for (const field of ["botId", "messageId", "chatId", "createTime"] as const) {
    if (typeof payload[field] !== "string" || payload[field] === "") {
      throw new Error(`the message payload has no ${field}`);
    }
  }
  if (payload.chatType !== "p2p" && payload.chatType !== "group") {
    throw new Error("the message payload's chatType is neither p2p nor group");
  }
  const sender = payload.sender;
  if (!isRecord(sender) || typeof sender.openId !== "string" || typeof sender.type !== "string") {
    throw new Error("the message payload has no sender.openId and sender.type");
  }
  if (typeof payload.text !== "string") throw new Error("the message payload has no text");
  if (!Array.isArray(payload.mentions)) throw new Error("the message payload has no mentions");
  const { imageKeys, ...rest } = payload;
  const message = rest as unknown as InboundMessage;
  const attachments = readAttachments(payload.attachments, imageKeys);
  if (attachments) message.attachments = attachments;
  else delete message.attachments;
  return message;
}

function readAttachments(attachments: unknown, imageKeys: unknown): Attachment[] | undefined {
  if (Array.isArray(attachments)) {
    // Kinds this version does not know are kept: the conversation picks what it can use.
    const kept = attachments.filter(
      (a): a is Attachment =>
        isRecord(a) && typeof a.type === "string" && typeof a.key === "string",
    );
    return kept.length > 0 ? kept : undefined;
  }
  if (Array.isArray(imageKeys)) {
    const keys = imageKeys.filter((key): key is string => typeof key === "string" && key !== "");
    return keys.length > 0 ? imageAttachments(keys) : undefined;
  }
  return undefined;
}
