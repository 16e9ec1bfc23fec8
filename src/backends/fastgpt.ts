import { createHash, randomBytes } from "node:crypto";
import type { FastGptAppConfig } from "../config/config.js";
import { type Backend, BackendError, type BackendPart, type BackendRequest } from "./backend.js";
import {
  appError,
  classifyTransportError,
  joinUrl,
  numberField,
  parseJson,
  postJson,
  readErrorBody,
  remoteMessage,
  stringField,
} from "./backend-http.js";
import { interactivePause, summarizeFlowResponses } from "./fastgpt-details.js";
import { readSseEvents } from "./sse-lines.js";
import { createThinkTagSplitter } from "./think-tag-splitter.js";

/** FastGPT's answers for a refused key: `unAuthorization` (403) and `unAuthApiKey` (514). */
const AUTH_CODES = new Set([401, 403, 514]);
const AUTH_STATUS_TEXTS = new Set(["unAuthorization", "unAuthApiKey"]);
/** `insufficientQuota`: the team ran out of AI points. */
const QUOTA_CODE = 510;

/**
 * A FastGPT app through its OpenAI-style chat API with `detail: true`. FastGPT keeps the history
 * per `chatId`, so only the new message is sent; the chatId is kept in the conversation's state,
 * and a Reset (which clears that state) starts a fresh one.
 *
 * @example
 * const backend = createFastGptBackend({ backend: "fastgpt", id: "kb", baseUrl: "https://cloud.fastgpt.cn", apiKey, timeoutMs: 120_000, historyTokenBudget: 0 });
 * for await (const part of backend.stream(request)) if (part.type === "citation") console.log(part.title);
 */
export function createFastGptBackend(
  app: FastGptAppConfig,
  transport: typeof fetch = fetch,
): Backend {
  const label = `FastGPT app "${app.id}"`;
  const url = joinUrl(app.baseUrl, "/api/v1/chat/completions");

  async function* stream(request: BackendRequest): AsyncIterable<BackendPart> {
    let chatId = request.state.fastgptChatId;
    if (!chatId) {
      chatId = newChatId(request.conversationKey);
      yield { type: "state", key: "fastgptChatId", value: chatId };
    }
    const variables: Record<string, string> = {
      ...(request.variables ?? app.variables),
      larkUserOpenId: request.user.openId,
      larkChatId: request.user.chatId,
      larkBotId: request.user.botId,
      ...(request.user.name ? { larkUserName: request.user.name } : {}),
    };
    const context = {
      signal: request.signal,
      deadline: AbortSignal.timeout(app.timeoutMs),
      label,
      fetch: transport,
    };
    const response = await postJson({
      ...context,
      url,
      apiKey: app.apiKey,
      body: {
        chatId,
        stream: true,
        detail: true,
        variables,
        messages: [{ role: "user", content: userContent(request) }],
      },
    });
    if (!response.ok) {
      const body = await readErrorBody(response);
      throw fastGptError(body, response.status);
    }

    const splitter = createThinkTagSplitter();
    let sawText = false;
    let nodeError: string | undefined;
    let paused = false;
    const text = function* (chunk: string, final = false): Generator<BackendPart> {
      const pieces = final ? splitter.flush() : splitter.push(chunk);
      for (const piece of pieces) {
        if (piece.kind === "text") sawText = true;
        yield { type: piece.kind === "text" ? "text-delta" : "reasoning-delta", text: piece.text };
      }
    };

    try {
      if (isJson(response) || !response.body) {
        // Some deployments answer with plain JSON even to a stream request (errors, proxies).
        const body = (await response.json().catch(() => undefined)) as unknown;
        const content = answerContent(body);
        if (content === undefined) throw fastGptError(body, response.status);
        yield* text(content);
      } else {
        for await (const event of readSseEvents(response.body)) {
          if (event.data === "[DONE]") continue;
          const name = event.event ?? "answer";
          if (name === "answer" || name === "fastAnswer") {
            const delta = firstDelta(parseJson(event.data));
            const reasoning = stringField(delta, "reasoning_content");
            if (reasoning) yield { type: "reasoning-delta", text: reasoning };
            const content = stringField(delta, "content");
            if (content) yield* text(content);
          } else if (name === "flowResponses") {
            const summary = summarizeFlowResponses(parseJson(event.data));
            yield* summary.citations;
            if (summary.usage) yield summary.usage;
            nodeError = summary.nodeError;
          } else if (name === "interactive") {
            // Shown as a card with buttons or a form; the answer goes back under this chatId.
            const pause = interactivePause(parseJson(event.data));
            if (pause) {
              paused = true;
              yield { type: "pause", pause };
            }
          } else if (name === "error") {
            throw fastGptError(parseJson(event.data) ?? { message: event.data }, undefined);
          }
          // flowNodeStatus, toolCall, updateVariables, workflowDuration…: progress only.
        }
      }
      yield* text("", true);
    } catch (error) {
      throw classifyTransportError(error, context);
    }
    if (!sawText && !paused) {
      if (nodeError) {
        const detail = remoteMessage(nodeError, app.apiKey);
        throw new BackendError("app_error", `${label} failed in its workflow: ${detail}`);
      }
      throw new BackendError("empty_answer", `${label} returned an empty answer`);
    }
  }

  /**
   * FastGPT errors come as `{ code, statusText, message }`: as the JSON body of a failed request,
   * or as an `error` event inside a 200 stream (a bad key is reported that way too).
   */
  function fastGptError(body: unknown, httpStatus: number | undefined): BackendError {
    const code = numberField(body, "code");
    const statusText = stringField(body, "statusText");
    const message = remoteMessage(stringField(body, "message"), app.apiKey);
    return appError({
      label,
      httpStatus,
      detail: [statusText, message].filter(Boolean).join(": "),
      refusedKey:
        (code !== undefined && AUTH_CODES.has(code)) ||
        (statusText !== undefined && AUTH_STATUS_TEXTS.has(statusText)),
      keyFix: "set the app's apiKey to a key created in that FastGPT app's API access page",
      ...(code === QUOTA_CODE || statusText === "insufficientQuota"
        ? { outOfQuota: "has no AI points left" }
        : {}),
    });
  }

  return { model: `fastgpt:${app.id}`, keepsHistory: true, pictures: "link", stream };
}

/**
 * A fresh FastGPT chatId for a conversation: readable (the conversation key, made safe and
 * short) plus a random part, so a Reset never lands in the old history. At most 64 characters.
 */
export function newChatId(conversationKey: string): string {
  const safe = conversationKey.replace(/[^A-Za-z0-9_-]+/g, "_");
  const base =
    safe.length <= 47
      ? safe
      : `${safe.slice(0, 30)}_${createHash("sha256").update(conversationKey).digest("hex").slice(0, 16)}`;
  return `${base}-${randomBytes(8).toString("hex")}`;
}

function isJson(response: Response): boolean {
  return (response.headers.get("content-type") ?? "").includes("application/json");
}

function firstDelta(chunk: unknown): unknown {
  const choices =
    chunk && typeof chunk === "object" ? (chunk as { choices?: unknown }).choices : [];
  return Array.isArray(choices)
    ? (choices[0] as { delta?: unknown } | undefined)?.delta
    : undefined;
}

/** The answer of a non-streamed completion, if the body is one. */
function answerContent(body: unknown): string | undefined {
  const choices = body && typeof body === "object" ? (body as { choices?: unknown }).choices : [];
  if (!Array.isArray(choices)) return undefined;
  const message = (choices[0] as { message?: unknown } | undefined)?.message;
  return stringField(message, "content");
}

/**
 * The new message, with its pictures as `image_url` links and its files as `file_url` parts
 * (`{type, name, url}`: FastGPT fetches and reads them in its document parser).
 */
function userContent(request: BackendRequest): string | Array<Record<string, unknown>> {
  const images = request.imageUrls ?? [];
  const files = request.fileUrls ?? [];
  if (images.length === 0 && files.length === 0) return request.message;
  return [
    ...(request.message !== "" ? [{ type: "text", text: request.message }] : []),
    ...images.map((url) => ({ type: "image_url", image_url: { url } })),
    ...files.map((file) => ({ type: "file_url", name: file.name, url: file.url })),
  ];
}
