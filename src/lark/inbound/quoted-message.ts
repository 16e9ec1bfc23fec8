import type { Attachment } from "../../messages/inbound-message.js";
import { messageText } from "../../messages/message-text.js";
import type { ReadBackMessage } from "../../messages/read-back-message.js";
import { isRecord } from "../lark-envelope.js";
import { InboundError } from "./inbound-error.js";
import { contentAttachments, contentText, readMentions } from "./normalize-message.js";

/**
 * The text of a message read back with `GET /im/v1/messages/:id` (the one a user replied to),
 * as the model should see it: text and post messages from people, mentions as `@Name`.
 * Undefined for anything else: images and cards cannot be read, and the bot's own answers are
 * in the conversation's history already.
 */
export function quotedMessageText(
  item: unknown,
  botOpenId: string | undefined,
): string | undefined {
  if (!isRecord(item) || !isRecord(item.sender) || item.sender.sender_type !== "user") {
    return undefined;
  }
  const body = item.body;
  if (typeof item.msg_type !== "string" || !isRecord(body) || typeof body.content !== "string") {
    return undefined;
  }
  let text: string | undefined;
  try {
    text = contentText(item.msg_type, body.content);
  } catch (error) {
    if (error instanceof InboundError) return undefined;
    throw error;
  }
  if (text === undefined) return undefined;
  return messageText({ text, mentions: readMentions(item.mentions) }, botOpenId) || undefined;
}

/** `data.items[0]` of `GET /im/v1/messages/:id`, read for quoting or for its pictures and files. */
export function readBackMessage(
  item: unknown,
  botOpenId: string | undefined,
): ReadBackMessage | undefined {
  if (!isRecord(item)) return undefined;
  const fromUser = isRecord(item.sender) && item.sender.sender_type === "user";
  const body = item.body;
  let attachments: Attachment[] = [];
  const id = typeof item.message_id === "string" ? item.message_id : "";
  if (fromUser && typeof item.msg_type === "string" && isRecord(body)) {
    try {
      attachments =
        typeof body.content === "string" ? contentAttachments(item.msg_type, body.content, id) : [];
    } catch (error) {
      if (!(error instanceof InboundError)) throw error;
    }
  }
  const text = quotedMessageText(item, botOpenId);
  const parentId =
    typeof item.parent_id === "string" && item.parent_id ? item.parent_id : undefined;
  return {
    ...(text !== undefined ? { text } : {}),
    // Pictures, a file, a forwarded chat; a voice message's audio is not quoted.
    attachments: attachments.filter((a) => a.type !== "audio"),
    ...(parentId ? { parentId } : {}),
    inThread: typeof item.thread_id === "string" && item.thread_id !== "",
  };
}
