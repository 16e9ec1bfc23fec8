import {
  type Attachment,
  type InboundMention,
  type InboundMessage,
  imageAttachments,
} from "../../messages/inbound-message.js";
import { isRecord, isV2Envelope, type LarkEnvelope } from "../lark-envelope.js";
import {
  calendarContent,
  cardContent,
  locationContent,
  shareChatContent,
  shareUserContent,
  systemContent,
  todoContent,
  videoContent,
} from "./content/plain-forms.js";
import { postContent, postImageKeys } from "./content/post-content.js";
import { textContent } from "./content/text-content.js";
import { InboundError } from "./inbound-error.js";

/**
 * What the model can be given of a message: its text, the keys of its images, its audio, its
 * file, or that it is a forwarded chat (whose messages are read when its turn comes).
 */
interface ReadableContent {
  text: string;
  imageKeys: string[];
  audio?: { key: string; durationMs: number };
  file?: { key: string; name: string };
  forward?: true;
}

const plain =
  (form: (content: Record<string, unknown>) => string) =>
  (content: Record<string, unknown>): ReadableContent => ({ text: form(content), imageKeys: [] });

/**
 * Message types we can answer, each with its reader (Lark's received-content formats,
 * docs/lark-notes.md#message-content); a type Lark adds later is `unsupported`.
 */
const READERS: Record<string, (content: Record<string, unknown>) => ReadableContent> = {
  text: (content) => ({ text: textContent(content), imageKeys: [] }),
  post: (content) => ({ text: postContent(content), imageKeys: postImageKeys(content) }),
  image: (content) => ({ text: "", imageKeys: [imageKey(content)] }),
  audio: (content) => ({ text: "", imageKeys: [], audio: audioContent(content) }),
  file: (content) => ({ text: "", imageKeys: [], file: fileContent(content) }),
  // `{"content":"Merged and Forwarded Message"}`: the messages themselves are read by id.
  merge_forward: () => ({ text: "", imageKeys: [], forward: true }),
  // A sticker's `file_key` cannot be downloaded (the resources API refuses stickers).
  sticker: () => ({ text: "", imageKeys: [] }),
  media: plain(videoContent),
  share_chat: plain(shareChatContent),
  share_user: plain(shareUserContent),
  interactive: plain(cardContent),
  location: plain(locationContent),
  todo: plain(todoContent),
  calendar: plain(calendarContent),
  share_calendar_event: plain(calendarContent),
  general_calendar: plain(calendarContent),
  system: plain(systemContent),
};

/**
 * Turns a verified `im.message.receive_v1` push into an InboundMessage (docs/lark-notes.md#message-received-event).
 *
 * @example const message = normalizeMessageEvent(bot.id, opened.envelope);
 * @throws InboundError when the envelope is not a well-formed message event.
 */
export function normalizeMessageEvent(botId: string, envelope: LarkEnvelope): InboundMessage {
  if (!isV2Envelope(envelope) || envelope.header.event_type !== "im.message.receive_v1") {
    throw new InboundError("not an im.message.receive_v1 event (schema 2.0)");
  }
  const { sender, message } = envelope.event;
  if (!isRecord(message)) throw new InboundError("event.message is missing");
  if (!isRecord(sender)) throw new InboundError("event.sender is missing");

  const messageType = requiredString(message, "message_type", "message");
  const rawContent = requiredString(message, "content", "message");
  const content = readContent(messageType, rawContent);
  const text = content?.text ?? "";

  const thread = {
    threadId: optionalString(message.thread_id),
    rootId: optionalString(message.root_id),
    parentId: optionalString(message.parent_id),
  };
  return {
    botId,
    eventId: envelope.header.event_id,
    messageId: requiredString(message, "message_id", "message"),
    chatId: requiredString(message, "chat_id", "message"),
    chatType: chatType(message.chat_type),
    ...withoutUndefined(thread),
    sender: readSender(sender),
    messageType,
    text,
    ...attachmentsOf(content, requiredString(message, "message_id", "message")),
    mentions: readMentions(message.mentions),
    mentionsAll: text.includes("@_all"),
    createTime: requiredString(message, "create_time", "message"),
    unsupported: content === undefined,
  };
}

/**
 * The text of a message's `content` JSON, mention placeholders left in place (empty for an
 * image or a voice message); undefined for a type we cannot read (file, card…).
 * @throws InboundError when the content of a readable type is malformed.
 */
export function contentText(messageType: string, rawContent: string): string | undefined {
  return readContent(messageType, rawContent)?.text;
}

/** The attachments of a message's `content` JSON (pictures, a file, a forwarded chat). */
export function contentAttachments(
  messageType: string,
  rawContent: string,
  messageId: string,
): Attachment[] {
  return attachmentsOf(readContent(messageType, rawContent), messageId).attachments ?? [];
}

function readContent(messageType: string, rawContent: string): ReadableContent | undefined {
  // Own keys only: a message_type such as "constructor" must not reach Object.prototype.
  if (!Object.hasOwn(READERS, messageType)) return undefined;
  return READERS[messageType]!(parseContent(rawContent, messageType));
}

/** The attachments field of a message: absent when it has none, as persisted payloads were. */
function attachmentsOf(
  content: ReadableContent | undefined,
  messageId: string,
): { attachments?: Attachment[] } {
  if (content?.audio) return { attachments: [{ type: "audio", ...content.audio }] };
  if (content?.file) return { attachments: [{ type: "file", ...content.file }] };
  if (content?.forward) return { attachments: [{ type: "forward", key: messageId }] };
  if (content && content.imageKeys.length > 0) {
    return { attachments: imageAttachments(content.imageKeys) };
  }
  return {};
}

/**
 * `audio` messages (a voice message): `{"file_key":"file_v3_…","duration":2000}`, the length
 * in milliseconds. A length that is missing or not a number counts as unknown (0).
 */
function audioContent(content: Record<string, unknown>): { key: string; durationMs: number } {
  if (typeof content.file_key !== "string" || content.file_key === "") {
    throw new InboundError("audio message content has no file_key");
  }
  const duration = content.duration;
  const durationMs =
    typeof duration === "number" && Number.isFinite(duration) && duration > 0
      ? Math.round(duration)
      : 0;
  return { key: content.file_key, durationMs };
}

/** `file` messages: `{"file_key":"file_v3_…","file_name":"report.pdf"}`. */
function fileContent(content: Record<string, unknown>): { key: string; name: string } {
  if (typeof content.file_key !== "string" || content.file_key === "") {
    throw new InboundError("file message content has no file_key");
  }
  const name =
    typeof content.file_name === "string" && content.file_name ? content.file_name : "file";
  return { key: content.file_key, name };
}

/** `image` messages: `{"image_key":"img_v3_…"}`. */
function imageKey(content: Record<string, unknown>): string {
  if (typeof content.image_key !== "string" || content.image_key === "") {
    throw new InboundError("image message content has no image_key");
  }
  return content.image_key;
}

function readSender(sender: Record<string, unknown>): InboundMessage["sender"] {
  const ids = sender.sender_id;
  if (!isRecord(ids)) throw new InboundError("event.sender.sender_id is missing");
  return {
    openId: requiredString(ids, "open_id", "sender.sender_id"),
    ...withoutUndefined({
      userId: optionalString(ids.user_id),
      unionId: optionalString(ids.union_id),
    }),
    type: requiredString(sender, "sender_type", "sender"),
  };
}

export function readMentions(value: unknown): InboundMention[] {
  if (!Array.isArray(value)) return [];
  const mentions: InboundMention[] = [];
  for (const entry of value) {
    // A mention we cannot place in the text is useless; skip it rather than drop the message.
    if (!isRecord(entry) || typeof entry.key !== "string" || entry.key === "") continue;
    // Events carry `id: {open_id, …}`; messages read back with GET carry `id: "ou_…"`.
    const openId = isRecord(entry.id) ? optionalString(entry.id.open_id) : optionalString(entry.id);
    const name = typeof entry.name === "string" ? entry.name : "";
    mentions.push(openId ? { key: entry.key, openId, name } : { key: entry.key, name });
  }
  return mentions;
}

function chatType(value: unknown): InboundMessage["chatType"] {
  if (value === "p2p") return "p2p";
  // Topic groups report `group`; anything else with a chat is a group too, never a DM.
  if (typeof value === "string" && value !== "") return "group";
  throw new InboundError("message.chat_type is missing");
}

function parseContent(raw: string, messageType: string): Record<string, unknown> {
  let content: unknown;
  try {
    content = JSON.parse(raw);
  } catch {
    throw new InboundError(`message.content of a ${messageType} message is not JSON`);
  }
  if (!isRecord(content)) {
    throw new InboundError(`message.content of a ${messageType} message is not a JSON object`);
  }
  return content;
}

function requiredString(record: Record<string, unknown>, field: string, where: string): string {
  const value = record[field];
  if (typeof value !== "string" || value === "") {
    throw new InboundError(`${where}.${field} is missing or not a string`);
  }
  return value;
}

function optionalString(value: unknown): string | undefined {
  // Lark sometimes sends "" for ids that do not apply.
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Keeps the payload free of `undefined` keys, since it is persisted as JSON. */
function withoutUndefined<T extends Record<string, string | undefined>>(
  fields: T,
): { [K in keyof T]?: string } {
  const out: { [K in keyof T]?: string } = {};
  for (const key of Object.keys(fields) as (keyof T)[]) {
    const value = fields[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}
