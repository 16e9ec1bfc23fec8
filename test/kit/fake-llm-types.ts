import type { IncomingHttpHeaders } from "node:http";
import type { ScriptedFake } from "./scripted-answers.js";
import type { WireJson } from "./wire-json.js";

/** How the fake LLM answers one `chat/completions` call. */
export interface LlmScript {
  text?: string;
  /** Exact stream deltas; overrides the default word-by-word split of `text`. */
  chunks?: string[];
  /** Sent as `delta.reasoning_content` (or `message.reasoning_content`) before the text. */
  reasoning?: string;
  /** Wait before the first byte. */
  delayMs?: number;
  /** Wait between stream chunks. */
  chunkDelayMs?: number;
  /** Answer with this HTTP status and `errorBody` (OpenAI-style error by default). */
  status?: number;
  errorBody?: unknown;
  /** Never answer (the request stays open until the client gives up). */
  hang?: boolean;
  /** Destroy the socket after this many content chunks. */
  dropAfterChunks?: number;
  usage?: { prompt_tokens: number; completion_tokens: number };
}

/** The fields of a chat-completions request body the fake looks at. */
export interface ChatRequestBody {
  model?: unknown;
  messages?: unknown;
  stream?: unknown;
  stream_options?: { include_usage?: unknown } | null;
}

export type LlmScriptSource = LlmScript | ((body: WireJson) => LlmScript);

export interface LlmRequest {
  body: WireJson;
  headers: IncomingHttpHeaders;
  /** `performance.now()` when the request arrived. */
  at: number;
  /** The client closed the connection before the answer ended. */
  aborted: boolean;
  /** The answer was sent completely. */
  completed: boolean;
  /** The exchange is over: answered, dropped by the script, or aborted. */
  closed: boolean;
}

export interface FakeLlmOptions {
  apiKey?: string;
  /** Id listed by `GET /v1/models`. */
  model?: string;
}

/**
 * `url` is `http://127.0.0.1:PORT/v1`, an OpenAI `baseURL`; the default answer is
 * `echo: <last user message>`.
 */
export type FakeLlm = ScriptedFake<LlmScriptSource, LlmRequest>;
