import type { DifyAppConfig } from "../config/config.js";
import { isThreadConversation } from "../messages/conversation-key.js";
import { IMAGE_PLACEHOLDER } from "../messages/inbound-message.js";
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
import { createDifyEventReader } from "./dify-events.js";
import { readSseEvents } from "./sse-lines.js";

/** How long the best-effort stop call may take; the answer is already over for the user. */
const STOP_TIMEOUT_MS = 5_000;

/**
 * A Dify chat, agent or chatflow app through `POST /v1/chat-messages` in streaming mode. Dify
 * keeps the history per `conversation_id`, which is kept in the conversation's state; a Reset
 * clears the state, so Dify starts a new conversation.
 *
 * @example
 * const backend = createDifyBackend({ backend: "dify", id: "helpdesk", baseUrl: "https://api.dify.ai", apiKey, timeoutMs: 120_000, historyTokenBudget: 0 });
 * for await (const part of backend.stream(request)) if (part.type === "text-delta") process.stdout.write(part.text);
 */
export function createDifyBackend(app: DifyAppConfig, transport: typeof fetch = fetch): Backend {
  const label = `Dify app "${app.id}"`;
  const url = joinUrl(app.baseUrl, "/v1/chat-messages");

  async function* stream(request: BackendRequest): AsyncIterable<BackendPart> {
    const context = {
      signal: request.signal,
      deadline: AbortSignal.timeout(app.timeoutMs),
      label,
      fetch: transport,
    };
    // Dify binds a conversation to one `user`; a topic thread is shared by several people, so
    // there the thread is the user, or every new speaker would lose the thread's history.
    const user = isThreadConversation(request.conversationKey)
      ? `lark-${request.conversationKey}`
      : request.user.openId;
    const send = (conversationId: string) =>
      postJson({
        ...context,
        url,
        apiKey: app.apiKey,
        body: {
          inputs: request.variables ?? app.variables ?? {},
          // Dify requires a query; a picture sent alone is asked about as such.
          query: request.message || (request.imageUrls?.length ? IMAGE_PLACEHOLDER : ""),
          ...(request.imageUrls?.length || request.fileUrls?.length
            ? {
                files: [
                  ...(request.imageUrls ?? []).map((url) => ({
                    type: "image",
                    transfer_method: "remote_url",
                    url,
                  })),
                  ...(request.fileUrls ?? []).map((file) => ({
                    type: difyFileType(file.name),
                    transfer_method: "remote_url",
                    url: file.url,
                  })),
                ],
              }
            : {}),
          response_mode: "streaming",
          conversation_id: conversationId,
          user,
          auto_generate_name: false,
        },
      });

    const requested = request.state.difyConversationId ?? "";
    let response = await send(requested);
    if (!response.ok && response.status === 404 && requested) {
      const body = await readErrorBody(response);
      // The conversation was deleted in Dify (or belongs to another user): start a new one.
      if (!isMissingConversation(body)) throw difyError(body, 404);
      response = await send("");
    }
    if (!response.ok) throw difyError(await readErrorBody(response), response.status);

    const reader = createDifyEventReader(requested, app.baseUrl);
    let finished = false;
    try {
      if (isJson(response) || !response.body) {
        // A blocking-style JSON answer (some proxies buffer): read it as one message.
        const body = (await response.json().catch(() => undefined)) as unknown;
        if (stringField(body, "answer") === undefined) throw difyError(body, response.status);
        yield* reader.read({ ...(body as object), event: "message" });
        yield* reader.read({ ...(body as object), event: "message_end" });
      } else {
        for await (const event of readSseEvents(response.body)) {
          const data = parseJson(event.data);
          if (!data || typeof data !== "object") continue;
          if (stringField(data, "event") === "error") {
            finished = true;
            throw difyError(data, undefined);
          }
          yield* reader.read(data);
        }
      }
      finished = true;
      yield* reader.flush();
    } catch (error) {
      throw classifyTransportError(error, context);
    } finally {
      // Stopped, timed out or cut off mid-answer: tell Dify so it stops spending tokens.
      const taskId = reader.taskId();
      if (!finished && !reader.ended() && taskId) stopTask(taskId, user);
    }
    if (!reader.sawText()) {
      throw new BackendError("empty_answer", `${label} returned an empty answer`);
    }
  }

  function stopTask(taskId: string, user: string): void {
    const stopUrl = joinUrl(app.baseUrl, `/v1/chat-messages/${encodeURIComponent(taskId)}/stop`);
    fetch(stopUrl, {
      method: "POST",
      headers: { authorization: `Bearer ${app.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ user }),
      signal: AbortSignal.timeout(STOP_TIMEOUT_MS),
    })
      .then((res) => res.arrayBuffer())
      .catch(() => undefined);
  }

  /** Dify errors are `{ code, message, status }`, as a failed request's body or an `error` event. */
  function difyError(body: unknown, httpStatus: number | undefined): BackendError {
    const code = stringField(body, "code");
    const message = remoteMessage(stringField(body, "message"), app.apiKey);
    const bodyStatus = numberField(body, "status");
    return appError({
      label,
      httpStatus,
      ...(bodyStatus !== undefined ? { bodyStatus } : {}),
      detail: [code, message].filter(Boolean).join(": "),
      refusedKey: code === "unauthorized",
      keyFix: `set the app's apiKey to the app's API secret key (app-…) from Dify's "API Access" page`,
      ...(code === "provider_quota_exceeded" ? { outOfQuota: "ran out of model quota" } : {}),
    });
  }

  return { model: `dify:${app.id}`, keepsHistory: true, pictures: "link", stream };
}

/** Dify's file types by extension (its chat-messages API docs); the rest are `custom`. */
const DIFY_TYPES: Record<string, string[]> = {
  document: [
    "txt",
    "md",
    "markdown",
    "pdf",
    "html",
    "xlsx",
    "xls",
    "docx",
    "csv",
    "eml",
    "msg",
    "pptx",
    "ppt",
    "xml",
    "epub",
  ],
  image: ["jpg", "jpeg", "png", "gif", "webp", "svg"],
  audio: ["mp3", "m4a", "wav", "webm", "amr"],
  video: ["mp4", "mov", "mpeg", "mpga"],
};

function difyFileType(name: string): string {
  const extension = name.includes(".") ? name.slice(name.lastIndexOf(".") + 1).toLowerCase() : "";
  for (const [type, extensions] of Object.entries(DIFY_TYPES)) {
    if (extensions.includes(extension)) return type;
  }
  return "custom";
}

function isMissingConversation(body: Record<string, unknown>): boolean {
  const message = stringField(body, "message") ?? "";
  return /conversation not exists/i.test(message) || stringField(body, "code") === "not_found";
}

function isJson(response: Response): boolean {
  return (response.headers.get("content-type") ?? "").includes("application/json");
}
