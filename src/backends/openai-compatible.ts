import type OpenAI from "openai";
import type {
  ChatCompletionContentPart,
  ChatCompletionMessageParam,
} from "openai/resources/chat/completions";
import { type Backend, BackendError, type BackendPart, type BackendRequest } from "./backend.js";
import { createKeyPool } from "./key-pool.js";
import { type ChatEndpoint, clientsPerKey, takesStreamOptions } from "./openai-client.js";
import { allKeysFailed, classifyOpenAiError, restFor } from "./openai-errors.js";
import { createThinkTagSplitter } from "./think-tag-splitter.js";

export interface OpenAiCompatibleOptions {
  /** OpenAI-compatible: includes `/v1`. Azure: the resource's endpoint (see `azureApiVersion`). */
  baseUrl: string;
  apiKey: string;
  /** Every key, when there are several; requests take turns (see key-pool.ts). */
  apiKeys?: string[];
  /** The model; on Azure, the deployment. */
  model: string;
  temperature?: number;
  maxTokens?: number;
  timeoutMs: number;
  /** Talk to Azure OpenAI with this `api-version`. */
  azureApiVersion?: string;
  /** The transport (see modelFetch); the global fetch by default. */
  fetch?: typeof fetch;
  /** The clock key rests are measured with (tests). */
  now?: () => number;
}

/**
 * Any OpenAI-compatible chat-completions endpoint (OpenAI, Azure OpenAI, vLLM, Ollama,
 * DeepSeek, one-api…). The gateway keeps the history and sends it with every request.
 *
 * With several keys, each request starts at the next key; a key answered 401/403/429 or
 * `insufficient_quota` rests (key-pool.ts) and the same request goes to the next usable key,
 * as long as nothing was streamed yet.
 *
 * @example
 * const backend = createOpenAiCompatibleBackend({ baseUrl: "https://api.openai.com/v1", apiKey, model: "gpt-4o-mini", timeoutMs: 120_000 });
 * for await (const part of backend.stream(request)) if (part.type === "text-delta") process.stdout.write(part.text);
 */
export function createOpenAiCompatibleBackend(options: OpenAiCompatibleOptions): Backend {
  const keys = options.apiKeys && options.apiKeys.length > 0 ? options.apiKeys : [options.apiKey];
  const pool = createKeyPool(keys, options.now);
  const endpoint: ChatEndpoint = {
    baseUrl: options.baseUrl,
    timeoutMs: options.timeoutMs,
    ...(options.azureApiVersion !== undefined ? { azureApiVersion: options.azureApiVersion } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  const clientFor = clientsPerKey(endpoint, (index) => pool.key(index));

  async function* stream(request: BackendRequest): AsyncIterable<BackendPart> {
    const failures: string[] = [];
    let last: BackendError | undefined;
    for (const index of pool.attempts()) {
      const progress = { started: false };
      try {
        yield* answer(clientFor(index), request, progress);
        pool.answered(index);
        return;
      } catch (error) {
        const rest = progress.started ? undefined : restFor(error);
        last = classifyOpenAiError(error, request.signal, keys);
        if (rest === undefined || request.signal.aborted) throw last;
        pool.rest(index, rest);
        failures.push(`key ${index + 1}: ${last.status ?? last.code}`);
      }
    }
    if (!last) throw new BackendError("internal", "no API key to try");
    throw failures.length > 1 ? allKeysFailed(last, failures) : last;
  }

  /** One attempt with one key; `progress.started` once a part was handed on. */
  async function* answer(
    client: OpenAI,
    request: BackendRequest,
    progress: { started: boolean },
  ): AsyncIterable<BackendPart> {
    const messages: ChatCompletionMessageParam[] = [];
    if (request.system) messages.push({ role: "system", content: request.system });
    for (const turn of request.history) messages.push({ role: turn.role, content: turn.content });
    messages.push({ role: "user", content: userContent(request) });
    const temperature = request.temperature ?? options.temperature;

    const splitter = createThinkTagSplitter();
    let sawText = false;
    const completion = await client.chat.completions.create(
      {
        model: request.model ?? options.model,
        messages,
        stream: true,
        ...(takesStreamOptions(endpoint) ? { stream_options: { include_usage: true } } : {}),
        ...(temperature !== undefined ? { temperature } : {}),
        ...(options.maxTokens !== undefined ? { max_tokens: options.maxTokens } : {}),
        user: request.user.openId,
      },
      { signal: request.signal },
    );
    for await (const chunk of completion) {
      const delta = chunk.choices[0]?.delta as
        | { content?: string | null; reasoning_content?: string | null; reasoning?: string | null }
        | undefined;
      const reasoning = delta?.reasoning_content ?? delta?.reasoning;
      if (reasoning) {
        progress.started = true;
        yield { type: "reasoning-delta", text: reasoning };
      }
      if (delta?.content) {
        for (const piece of splitter.push(delta.content)) {
          if (piece.kind === "text") sawText = true;
          progress.started = true;
          yield {
            type: piece.kind === "text" ? "text-delta" : "reasoning-delta",
            text: piece.text,
          };
        }
      }
      if (chunk.usage) {
        yield {
          type: "usage",
          promptTokens: chunk.usage.prompt_tokens,
          completionTokens: chunk.usage.completion_tokens,
          totalTokens: chunk.usage.total_tokens,
        };
      }
    }
    for (const piece of splitter.flush()) {
      if (piece.kind === "text") sawText = true;
      progress.started = true;
      yield { type: piece.kind === "text" ? "text-delta" : "reasoning-delta", text: piece.text };
    }
    if (!sawText) {
      throw new BackendError("empty_answer", "the model returned an empty answer");
    }
  }

  return { model: options.model, keepsHistory: false, pictures: "inline", stream };
}

/**
 * The new message as the model reads it: plain text, or, with images, the multi-part form of
 * vision models (text first, then each image inline as a data URL, so no URL has to be
 * reachable from the model's side).
 */
function userContent(request: BackendRequest): string | ChatCompletionContentPart[] {
  if (!request.images?.length && !request.files?.length) return request.message;
  const parts: ChatCompletionContentPart[] = [];
  if (request.message !== "") parts.push({ type: "text", text: request.message });
  // Chat Completions' file part: the whole file as a base64 data URL, named (OpenAI docs,
  // "File inputs"); what formats a model takes is the app's `nativeFiles` to say.
  for (const file of request.files ?? []) {
    const fileData = `data:${file.mimeType};base64,${file.data.toString("base64")}`;
    parts.push({ type: "file", file: { filename: file.name, file_data: fileData } });
  }
  for (const image of request.images ?? []) {
    const url = `data:${image.mimeType};base64,${image.data.toString("base64")}`;
    const detail = request.imageDetail ? { detail: request.imageDetail } : {};
    parts.push({ type: "image_url", image_url: { url, ...detail } });
  }
  return parts;
}
