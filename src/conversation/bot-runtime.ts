import type { Backend, ImageInput } from "../backends/backend.js";
import type { Replier } from "./ports.js";

/** The LLM app a conversation talks to, with its prompt settings. */
export interface AppRuntime {
  backend: Backend;
  systemPrompt?: string;
  historyTokenBudget: number;
  timeoutMs: number;
  /** The model reads images, so pictures in a question are downloaded and sent with it. */
  vision: boolean;
}

/** Everything the worker needs to answer for one bot, assembled by the composition root. */
export interface BotRuntime {
  id: string;
  groupTrigger: "mention" | "all";
  /** The bot's own open_id (from bot info), fetched once and cached. */
  botOpenId(): Promise<string>;
  replier: Replier;
  /** The app for a chat: the bot's default, or a per-chat override. */
  appFor(chatId: string): AppRuntime;
  /** Allow/deny lists: false means the bot stays silent for this chat or user. */
  mayAnswer(chatId: string, userOpenId: string): boolean;
  /**
   * The text of the message a user replied to, when the model should read it with the question
   * (a person's text or post); undefined otherwise. Throws when Lark cannot be asked.
   */
  quotedText(messageId: string): Promise<string | undefined>;
  /** The image keys of a message the bot received, read back from Lark. */
  imageKeysOf(messageId: string): Promise<string[]>;
  /**
   * An image of a message the bot received, refused above `maxBytes` (and above Lark's own
   * 10 MB for images). Throws when Lark cannot serve it.
   */
  downloadImage(messageId: string, imageKey: string, maxBytes: number): Promise<ImageInput>;
}
