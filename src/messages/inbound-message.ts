/**
 * The message model a conversation reasons about, whatever channel it came from (Lark today,
 * a web playground next). It is persisted as the job payload, so it carries only plain data
 * (no class instances) and nothing that depends on the bot's own identity: mention handling
 * that needs the bot's id happens in the worker (see `messageText`).
 */
export interface InboundMention {
  /** Placeholder in the text, e.g. `@_user_1`. */
  key: string;
  openId?: string;
  name: string;
}

/**
 * Something a message carries besides its text, by the key its channel serves it under:
 * pictures, and a voice message's audio (with its length as the channel reported it, 0 when
 * it did not), files by their key and name, and a forwarded chat (whose messages are read by
 * its message id).
 */
export type Attachment =
  | { type: "image"; key: string }
  | { type: "audio"; key: string; durationMs: number }
  | { type: "file"; key: string; name: string }
  | { type: "forward"; key: string };

export interface InboundMessage {
  botId: string;
  eventId: string;
  messageId: string;
  chatId: string;
  chatType: "p2p" | "group";
  /** Set for messages inside a topic/thread (`omt_…`). */
  threadId?: string;
  rootId?: string;
  parentId?: string;
  sender: {
    openId: string;
    userId?: string;
    unionId?: string;
    /** `user` for people; `app`/`bot` for other bots (ignored by the worker). */
    type: string;
  };
  /** The channel's own name for the kind of message (`text`, `post`, `image`…), for logs. */
  messageType: string;
  /**
   * Plain text with mention placeholders (`@_user_N`, `@_all`) left in place; resolve it with
   * `messageText(message, botOpenId)`. Empty for pictures, voice and unsupported message types.
   */
  text: string;
  /** What the message carries besides text, in order; absent when nothing. */
  attachments?: Attachment[];
  mentions: InboundMention[];
  /** `@_all` appears in the text. It never counts as mentioning the bot. */
  mentionsAll: boolean;
  /** Milliseconds since epoch, as a string (Lark's `create_time`). */
  createTime: string;
  /** True when the message type cannot be answered (a type Lark added after this version). */
  unsupported: boolean;
}

/** Stands for an image in a message's text: where a post had one, and in the chat log. */
export const IMAGE_PLACEHOLDER = "[image]";

/**
 * Marks a question that was asked by voice, in the history and the chat log: the model later
 * reads `[voice] what is…` as it reads `[image]` where a picture was.
 */
export const VOICE_PLACEHOLDER = "[voice]";

/** Stands for a file in the history and the chat log: its name, never its content. */
export function filePlaceholder(name: string): string {
  return `[file: ${name}]`;
}

/** A file of a message: its key, and the name it was sent under. */
export interface FileRef {
  key: string;
  name: string;
}

/** The files among some attachments, in order. */
export function filesOf(attachments: readonly Attachment[] | undefined): FileRef[] {
  return (attachments ?? []).flatMap((a) =>
    a.type === "file" ? [{ key: a.key, name: typeof a.name === "string" ? a.name : "file" }] : [],
  );
}

/** The forwarded chat a message is, if it is one: the id its messages are read under. */
export function forwardOf(attachments: readonly Attachment[] | undefined): string | undefined {
  return attachments?.find((a) => a.type === "forward")?.key;
}

/** The keys of the pictures among some attachments, in order. */
export function imageKeysOf(attachments: readonly Attachment[] | undefined): string[] {
  return (attachments ?? []).filter((a) => a.type === "image").map((a) => a.key);
}

/** The voice message's audio among some attachments, if there is one. */
export function audioOf(
  attachments: readonly Attachment[] | undefined,
): { key: string; durationMs: number } | undefined {
  const audio = attachments?.find((a) => a.type === "audio");
  if (!audio) return undefined;
  // A stored payload is read back as it was written; a length that is not a number is unknown.
  return { key: audio.key, durationMs: Number.isFinite(audio.durationMs) ? audio.durationMs : 0 };
}

/** Pictures as attachments, in order. */
export function imageAttachments(keys: readonly string[]): Attachment[] {
  return keys.map((key) => ({ type: "image", key }));
}
