/**
 * One Lark message, normalized at intake. It is persisted as the job payload, so it carries
 * only plain data (no class instances) and nothing that depends on the bot's own open_id:
 * mention handling that needs the bot's identity happens in the worker (see `messageText`).
 */
export interface InboundMention {
  /** Placeholder in the text, e.g. `@_user_1`. */
  key: string;
  openId?: string;
  name: string;
}

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
  messageType: string;
  /**
   * Plain text with Lark's mention placeholders (`@_user_N`, `@_all`) left in place; resolve it
   * with `messageText(message, botOpenId)`. Empty for images and unsupported message types.
   */
  text: string;
  /**
   * Keys of the images in the message (an image message, or `img` tags in a post), in order;
   * absent when there are none. Downloaded in the worker, and only for apps that read images.
   */
  imageKeys?: string[];
  mentions: InboundMention[];
  /** `@_all` appears in the text. It never counts as mentioning the bot. */
  mentionsAll: boolean;
  /** Milliseconds since epoch, as a string (Lark's `create_time`). */
  createTime: string;
  /** True when the message type cannot be answered (file, audio, sticker…). */
  unsupported: boolean;
}

/** Stands for an image in a message's text: where a post had one, and in the chat log. */
export const IMAGE_PLACEHOLDER = "[image]";
