import type { Backend, ImageInput } from "../backends/backend.js";
import type { PictureData, PictureMaker } from "../backends/picture-maker.js";
import type { Language } from "../i18n/translate.js";
import type { ReadBackMessage } from "../messages/read-back-message.js";
import type { CommandTable } from "./commands.js";
import type { Replier } from "./ports.js";
import type { QuestionLimits } from "./question-limits.js";
import type { RolePreset } from "./roles.js";
import type { Directory } from "./turn-placeholders.js";
import type { Transcriber } from "./voice-ports.js";

/** The LLM app a conversation talks to, with its prompt settings. */
export interface AppRuntime {
  /** The app's name in the configuration, and what serves it (for the help card). */
  name: string;
  kind: string;
  backend: Backend;
  systemPrompt?: string;
  historyTokenBudget: number;
  timeoutMs: number;
  /** The app reads images, so pictures in a question go with it (see `Backend.pictures`). */
  vision: boolean;
  /** File extensions the model reads itself: those files go whole, not as their text. */
  nativeFiles: readonly string[];
  /** Internal hosts the answer's pictures and files may be fetched from. */
  pictureHosts: readonly string[];
  /** Files users send are refused above this many bytes. */
  fileMaxBytes: number;
  /** Tokens of file text that go with one question (apps given the text, not a link). */
  fileTokenBudget: number;
  /** Models `/model` may switch a conversation to; empty turns `/model` off. */
  models: string[];
  /** The app takes a system prompt, temperature and model per request (OpenAI-compatible). */
  tunable: boolean;
  /** Draws pictures for `/picture` and picture mode; absent when the app has no images API. */
  pictures?: PictureMaker;
  /** Model → price per million tokens in and out, for cost budgets. */
  prices?: Record<string, { input: number; output: number }>;
  /** Variables (FastGPT) or inputs (Dify), with `{{placeholders}}` filled per question. */
  variables?: Record<string, string>;
  /** IANA time zone of the date and time placeholders; UTC when unset. */
  timeZone?: string;
}

/** Everything the worker needs to answer for one bot, assembled by the composition root. */
export interface BotRuntime {
  id: string;
  /** The language the bot speaks to its users. */
  language: Language;
  groupTrigger: "mention" | "all";
  /** The commands that are on, with their words. */
  commands: CommandTable;
  /** `/clear` asks for confirmation first. */
  confirmClear: boolean;
  /** What `/roles` offers. */
  roles: RolePreset[];
  /** The bot's name (BOT_NAME), as the welcome says it; empty when not configured. */
  name: string;
  /** The welcome text; undefined: the default one in the bot's language; empty: none. */
  welcome?: string;
  /** Turns voice messages into questions; absent when voice is off for this bot. */
  voice?: Transcriber;
  /** Names of people, chats and the bot, for placeholders; absent: the ids stand in. */
  directory?: Directory;
  /** The bot's own open_id (from bot info), fetched once and cached. */
  botOpenId(): Promise<string>;
  replier: Replier;
  /** The app for a chat: the bot's default, or a per-chat override. */
  appFor(chatId: string): AppRuntime;
  /** Allow/deny lists: false means the bot stays silent for this chat or user. */
  mayAnswer(chatId: string, userOpenId: string): boolean;
  /** The budgets and limits a question of this user in this chat is held to; absent: none. */
  limitsFor?(chatId: string, userOpenId: string): QuestionLimits;
  /**
   * A message the bot received or a user replied to, read back from Lark: its quotable text
   * (a person's text or post), its pictures, and what it replies to. Throws when Lark cannot
   * be asked.
   */
  readMessage(messageId: string): Promise<ReadBackMessage | undefined>;
  /**
   * A signed link under the gateway's public URL that serves a picture of a received message
   * for a while; undefined when no public URL is configured.
   */
  imageLink(messageId: string, imageKey: string): string | undefined;
  /** The same for a file, served under its name; undefined when no public URL is configured. */
  fileLink(messageId: string, fileKey: string, name: string): string | undefined;
  /**
   * A file of a message the bot received, refused above `maxBytes`. Throws when the channel
   * cannot serve it (no scope, recalled, too large).
   */
  downloadFile(messageId: string, fileKey: string, maxBytes: number): Promise<ImageInput>;
  /**
   * A forwarded chat the bot received (or a user replied to), as a transcript: its messages
   * oldest first, each with its time and sender. Throws when the channel cannot be asked.
   */
  readForward(messageId: string): Promise<{ transcript: string; messages: number }>;
  /**
   * An image of a message the bot received, refused above `maxBytes` (and above Lark's own
   * 10 MB for images). Throws when Lark cannot serve it.
   */
  downloadImage(messageId: string, imageKey: string, maxBytes: number): Promise<ImageInput>;
  /**
   * A voice message's audio, as the channel serves it, refused above `maxBytes`. Throws when
   * the channel cannot serve it.
   */
  downloadAudio(messageId: string, fileKey: string, maxBytes: number): Promise<ImageInput>;
  /**
   * A picture this bot sent (by the reference `Replier.picture` handed out), to draw a variation
   * of it. Throws when the channel cannot serve it any more.
   */
  sentPicture(ref: string): Promise<PictureData>;
}
