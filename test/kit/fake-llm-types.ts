import type { IncomingHttpHeaders } from "node:http";
import type { FakeImages } from "./fake-llm-image-routes.js";
import type { FakeTranscriptions } from "./fake-llm-transcription-routes.js";
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
  /** After this many content chunks, send nothing more but keep the connection open. */
  stallAfterChunks?: number;
  /** After this many content chunks, send an event whose data is not JSON, then go on. */
  garbageAfterChunks?: number;
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
  /** The path without the query: `/v1/chat/completions`, or Azure's deployment path. */
  path: string;
  /** The query string's parameters (Azure's `api-version`). */
  query: Record<string, string>;
  /** The key the request authenticated with (Bearer, or Azure's `api-key` header). */
  apiKey: string;
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
  /** Every key the fake accepts (several-keys tests); `apiKey` is the first. */
  apiKeys?: string[];
  /** Id listed by `GET /v1/models`. */
  model?: string;
}

/**
 * `url` is `http://127.0.0.1:PORT/v1`, an OpenAI `baseURL`; the default answer is
 * `echo: <last user message>`. The same server is an Azure OpenAI resource at
 * `azureEndpoint`: `POST /openai/deployments/{deployment}/chat/completions?api-version=…`
 * with an `api-key` header.
 */
export interface FakeLlm extends ScriptedFake<LlmScriptSource, LlmRequest> {
  /** `http://127.0.0.1:PORT`, what AZURE_ENDPOINT points at. */
  azureEndpoint: string;
  apiKeys: string[];
  /** The images endpoints (`/v1/images/generations|edits|variations`), scripted apart. */
  images: FakeImages;
  /** Speech to text (`/v1/audio/transcriptions`, Azure's deployment path), scripted apart. */
  transcriptions: FakeTranscriptions;
}
