import { isRecord } from "../webhook/lark-envelope.js";
import { InboundError } from "./inbound-error.js";
import { messageText } from "./message-text.js";
import { contentImageKeys, contentText, readMentions } from "./normalize-message.js";

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

/**
 * The image keys of a message read back with `GET /im/v1/messages/:id`, for answering a
 * question with pictures again (Regenerate); none when it has none or cannot be read.
 */
export function readBackImageKeys(item: unknown): string[] {
  if (!isRecord(item) || typeof item.msg_type !== "string") return [];
  const body = item.body;
  if (!isRecord(body) || typeof body.content !== "string") return [];
  try {
    return contentImageKeys(item.msg_type, body.content);
  } catch (error) {
    if (error instanceof InboundError) return [];
    throw error;
  }
}
