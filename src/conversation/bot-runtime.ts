import type { Backend } from "../backends/backend.js";
import type { Replier } from "./ports.js";

/** The LLM app a conversation talks to, with its prompt settings. */
export interface AppRuntime {
  backend: Backend;
  systemPrompt?: string;
  historyTokenBudget: number;
  timeoutMs: number;
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
}
