import OpenAI, { APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import type {
  ChatCompletionContentPart,
  ChatCompletionMessageParam,
} from "openai/resources/chat/completions";
import { type Backend, BackendError, type BackendPart, type BackendRequest } from "./backend.js";
import { codeForStatus } from "./backend-http.js";
import { createThinkTagSplitter } from "./think-tag-splitter.js";

export interface OpenAiCompatibleOptions {
  baseUrl: string;
  apiKey: string;
  model: string;
  temperature?: number;
  maxTokens?: number;
  timeoutMs: number;
  /** The transport (see modelFetch); the global fetch by default. */
  fetch?: typeof fetch;
}

/**
 * Any OpenAI-compatible chat-completions endpoint (OpenAI, Azure-style proxies, vLLM, Ollama,
 * DeepSeek, one-api…). The gateway keeps the history and sends it with every request.
 *
 * @example
 * const backend = createOpenAiCompatibleBackend({ baseUrl: "https://api.openai.com/v1", apiKey, model: "gpt-4o-mini", timeoutMs: 120_000 });
 * for await (const part of backend.stream(request)) if (part.type === "text-delta") process.stdout.write(part.text);
 */
export function createOpenAiCompatibleBackend(options: OpenAiCompatibleOptions): Backend {
  const client = new OpenAI({
    baseURL: options.baseUrl,
    apiKey: options.apiKey,
    timeout: options.timeoutMs,
    // The worker decides about retries (a retry after partial output would duplicate text).
    maxRetries: 0,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  async function* stream(request: BackendRequest): AsyncIterable<BackendPart> {
    const messages: ChatCompletionMessageParam[] = [];
    if (request.system) messages.push({ role: "system", content: request.system });
    for (const turn of request.history) messages.push({ role: turn.role, content: turn.content });
    messages.push({ role: "user", content: userContent(request) });

    const splitter = createThinkTagSplitter();
    let sawText = false;
    try {
      const completion = await client.chat.completions.create(
        {
          model: options.model,
          messages,
          stream: true,
          stream_options: { include_usage: true },
          ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
          ...(options.maxTokens !== undefined ? { max_tokens: options.maxTokens } : {}),
          user: request.user.openId,
        },
        { signal: request.signal },
      );
      for await (const chunk of completion) {
        const delta = chunk.choices[0]?.delta as
          | {
              content?: string | null;
              reasoning_content?: string | null;
              reasoning?: string | null;
            }
          | undefined;
        const reasoning = delta?.reasoning_content ?? delta?.reasoning;
        if (reasoning) yield { type: "reasoning-delta", text: reasoning };
        if (delta?.content) {
          for (const piece of splitter.push(delta.content)) {
            if (piece.kind === "text") sawText = true;
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
        yield { type: piece.kind === "text" ? "text-delta" : "reasoning-delta", text: piece.text };
      }
    } catch (error) {
      throw classifyOpenAiError(error, request.signal);
    }
    if (!sawText) {
      throw new BackendError("empty_answer", "the model returned an empty answer");
    }
  }

  return { model: options.model, keepsHistory: false, pictures: "inline", stream };
}

function classifyOpenAiError(error: unknown, signal: AbortSignal): unknown {
  if (error instanceof BackendError) return error;
  if (signal.aborted || error instanceof APIUserAbortError) {
    return new BackendError("aborted", "the answer was stopped", { cause: error });
  }
  if (error instanceof APIConnectionTimeoutError) {
    return new BackendError("timeout", "the model did not answer in time", { cause: error });
  }
  if (error instanceof APIError) {
    const status = error.status;
    // No status: the SDK gave up before any response (it retries connection errors itself).
    const code = status ? codeForStatus(status) : "connection";
    return new BackendError(code, `LLM API error${status ? ` ${status}` : ""}: ${error.message}`, {
      status,
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new BackendError("connection", `LLM request failed: ${message}`, { cause: error });
}

/**
 * The new message as the model reads it: plain text, or, with images, the multi-part form of
 * vision models (text first, then each image inline as a data URL, so no URL has to be
 * reachable from the model's side).
 */
function userContent(request: BackendRequest): string | ChatCompletionContentPart[] {
  if (!request.images || request.images.length === 0) return request.message;
  const parts: ChatCompletionContentPart[] = [];
  if (request.message !== "") parts.push({ type: "text", text: request.message });
  for (const image of request.images) {
    const url = `data:${image.mimeType};base64,${image.data.toString("base64")}`;
    parts.push({ type: "image_url", image_url: { url } });
  }
  return parts;
}
