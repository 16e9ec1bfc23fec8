/**
 * The LLM boundary: every backend turns a request into a stream of typed parts, the way
 * vercel/ai's language-model stream does. Nothing here knows about Lark.
 */
import type { WorkflowPause } from "./workflow-pause.js";

export interface ChatTurn {
  role: "user" | "assistant";
  content: string;
}

/** An image the user sent, as downloaded from Lark. */
export interface ImageInput {
  /** `image/png`, `image/jpeg`… as Lark served it. */
  mimeType: string;
  data: Buffer;
}

/** A file as a link the backend fetches, and the name it was sent under. */
export interface FileLink {
  name: string;
  url: string;
}

/** A file given to the model itself (apps whose model reads files natively). */
export interface FileInput {
  name: string;
  /** By the file's extension: `application/pdf`… */
  mimeType: string;
  data: Buffer;
}

export interface BackendRequest {
  /** Stable id of the conversation (used as FastGPT chatId, logged for Dify). */
  conversationKey: string;
  /** System prompt, if any. */
  system?: string;
  /** Earlier turns of this conversation, oldest first, already trimmed to budget. */
  history: ChatTurn[];
  /** The new user message (empty when it is only images). */
  message: string;
  /** Images that came with it, downloaded (backends that take pictures `inline`). */
  images?: ImageInput[];
  /** Images that came with it, as signed links to larkgate (backends that take a `link`). */
  imageUrls?: string[];
  /**
   * Files that came with it, as signed links to larkgate ending in the file's name (backends
   * that take a `link`; the others get the files' text in `message`).
   */
  fileUrls?: FileLink[];
  /** Files that came with it, downloaded, for a model that reads them itself (`nativeFiles`). */
  files?: FileInput[];
  /**
   * The app's variables with this question's placeholders filled (FastGPT `variables`, Dify
   * `inputs`); the app's configured ones when absent.
   */
  variables?: Record<string, string>;
  /** Who asked; backends may forward it (FastGPT variables, Dify `user`). */
  user: { openId: string; name?: string; chatId: string; botId: string };
  /**
   * The conversation's own model (`/model`) and temperature (`/ai_mode`), over the app's.
   * Only backends that take them per request use them (OpenAI-compatible, Azure); FastGPT and
   * Dify set both in the app.
   */
  model?: string;
  temperature?: number;
  /** How closely a vision model looks at the images (`/vision`); the model's default if unset. */
  imageDetail?: "low" | "high";
  /** Opaque per-conversation state a backend keeps between turns (e.g. Dify conversation_id). */
  state: Record<string, string>;
  signal: AbortSignal;
}

export type BackendPart =
  | { type: "text-delta"; text: string }
  | { type: "reasoning-delta"; text: string }
  /** Everything answered so far is replaced by `text` (Dify's output moderation). */
  | { type: "text-replace"; text: string }
  | { type: "usage"; promptTokens?: number; completionTokens?: number; totalTokens?: number }
  | { type: "citation"; title: string; url?: string; snippet?: string }
  /**
   * A file the app produced (Dify `message_file`): a picture is shown in the answer where it
   * came, any other file is sent after it. `url` is absolute.
   */
  | { type: "file"; url: string; name: string; image: boolean }
  /** The backend wants this saved into the conversation's state for the next turn. */
  | { type: "state"; key: string; value: string }
  /** The workflow stopped to ask the user (pick an option, fill a form); the answer resumes it. */
  | { type: "pause"; pause: WorkflowPause };

export interface Backend {
  /** What the chat log records as the model (model name, or app id for FastGPT/Dify). */
  readonly model: string;
  /** Whether the gateway must send history (OpenAI) or the backend keeps it (FastGPT/Dify). */
  readonly keepsHistory: boolean;
  /** How the backend takes pictures: the bytes in the request, or a URL it fetches. */
  readonly pictures: "inline" | "link";
  stream(request: BackendRequest): AsyncIterable<BackendPart>;
}

/** A failure talking to the backend, classified once where it happens. */
export class BackendError extends Error {
  readonly code: string;
  readonly status: number | undefined;
  constructor(code: string, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "BackendError";
    this.code = code;
    this.status = options.status;
  }
}
