import type * as fs from "node:fs";
import { Readable } from "node:stream";
import * as lark from "@larksuiteoapi/node-sdk";
import type { Logger } from "pino";
import { ensureLeaseHeld } from "../../intake/lease-fence.js";
import {
  type DownloadedImage,
  downloadImage,
  downloadMessageFile,
  downloadOwnImage,
} from "./download-image.js";
import { LarkApiError, toLarkError } from "./lark-api-error.js";
import { larkHttpInstance } from "./lark-http.js";
import { cardOperationUuid } from "./request-uuid.js";

export interface LarkApiOptions {
  appId: string;
  appSecret: string;
  domain: string;
  logger: Logger;
  /** Attempts for retryable failures (rate limit, 5xx, network), first try included. */
  maxAttempts?: number;
  /** First backoff; doubles each attempt unless Lark says how long to wait. */
  backoffMs?: number;
  /** Calls must go through HTTP(S)_PROXY (see larkHttpInstance). */
  outboundProxy?: boolean;
  /** A picture download (answer and body) that takes longer is given up. Default 30 s. */
  downloadTimeoutMs?: number;
  /** Told about every attempt and retry (the gateway's metrics). */
  observer?: LarkCallObserver;
}

/** What each Lark call did, for metrics: never its body. */
export interface LarkCallObserver {
  /** One attempt's result: `0` for success, else Lark's code, `http_<status>` or `network`. */
  attempt(operation: string, code: string): void;
  /** The call is tried again after `waitMs`, for `reason` (`rate_limited`, `server`, `token`…). */
  retry(operation: string, reason: string, waitMs: number): void;
}

/** The metrics label of a failed attempt. */
function codeLabel(error: LarkApiError): string {
  if (error.code !== undefined) return String(error.code);
  return error.status !== undefined ? `http_${error.status}` : "network";
}

export interface BotInfo {
  openId: string;
  appName: string;
  activateStatus: number;
}

export interface SentMessage {
  messageId: string;
  threadId?: string;
}

export interface CallOptions {
  /** Override the attempts for this call (streaming updates coalesce instead of retrying). */
  maxAttempts?: number;
}

type LarkBody = { code?: number; msg?: string; data?: Record<string, unknown> } & Record<
  string,
  unknown
>;

/**
 * The Lark Open Platform as larkgate uses it, on top of the official SDK client (token
 * cache and refresh, typed routes). Every failure becomes a LarkApiError; retryable ones
 * are retried here with backoff, honouring `x-ogw-ratelimit-reset`.
 */
export function createLarkApi(options: LarkApiOptions) {
  const log = options.logger;
  const observer = options.observer;
  /** Why Lark refused the app's credentials on the last call, until a call succeeds again. */
  let refused: string | undefined;
  const tokens = createTokenCache();
  const client = new lark.Client({
    appId: options.appId,
    appSecret: options.appSecret,
    domain: options.domain,
    httpInstance: larkHttpInstance({ outboundProxy: options.outboundProxy }),
    // A private cache per bot: the SDK's default is process-global and keyed loosely.
    cache: tokens,
    // The SDK logs failed requests with their bodies (user text) at error level; we log our
    // own classified errors instead, so its output only goes to debug.
    logger: sdkLogger(log),
    loggerLevel: lark.LoggerLevel.error,
  });
  const maxAttempts = options.maxAttempts ?? 4;
  const backoffMs = options.backoffMs ?? 250;

  async function call(
    operation: string,
    send: () => Promise<unknown>,
    callOptions: CallOptions = {},
  ): Promise<LarkBody> {
    const attempts = callOptions.maxAttempts ?? maxAttempts;
    let refreshedToken = false;
    for (let attempt = 1; ; attempt++) {
      // Checked before every attempt, retries included: a run that stalled past its job's
      // lease must not show anything next to the replica that took the job over.
      await ensureLeaseHeld(`Lark call ${operation}`);
      let error: LarkApiError;
      try {
        const body = (await send()) as LarkBody | undefined;
        if (!body || typeof body !== "object") {
          error = new LarkApiError(operation, { msg: "empty response", status: 200 });
        } else if (body.code === undefined || body.code === 0) {
          observer?.attempt(operation, "0");
          refused = undefined;
          return body;
        } else {
          error = new LarkApiError(operation, { code: body.code, msg: body.msg, status: 200 });
        }
      } catch (cause) {
        error = toLarkError(operation, cause);
      }
      observer?.attempt(operation, codeLabel(error));
      if (error.kind === "auth") refused = error.message;
      // The SDK keeps sending a cached token that Lark has revoked until it expires (up to two
      // hours); drop it and try once more with a fresh one.
      if (error.code !== undefined && STALE_TOKEN_CODES.has(error.code) && !refreshedToken) {
        refreshedToken = true;
        tokens.clear();
        log.warn({ operation, code: error.code }, "tenant token refused; fetching a new one");
        observer?.retry(operation, "token", 0);
        continue;
      }
      if (!error.retryable || attempt >= attempts) throw error;
      const wait = error.retryAfterMs ?? backoffMs * 2 ** (attempt - 1);
      log.warn(
        { operation, code: error.code, status: error.status, attempt, waitMs: wait },
        "lark call failed, retrying",
      );
      observer?.retry(operation, error.kind, Math.min(wait, 10_000));
      await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 10_000)));
    }
  }

  return {
    client,

    /**
     * Whether the app holds the scope an API needs, by calling it on an id that cannot exist:
     * Lark checks scopes first, so a missing one answers 99991672 (naming the scopes that
     * would do) and a granted one answers "not found" or "invalid". `doctor` only.
     */
    async probeScope(
      method: "GET" | "POST" | "PATCH",
      url: string,
      data?: unknown,
    ): Promise<{ granted: true } | { granted: false; larkSays: string } | { error: string }> {
      try {
        await client.request({ method, url, ...(data !== undefined ? { data } : {}) });
        return { granted: true };
      } catch (cause) {
        const error = toLarkError("scope probe", cause);
        if (error.kind === "missing_scope") {
          const said = (cause as { response?: { data?: { msg?: unknown } } }).response?.data?.msg;
          return { granted: false, larkSays: typeof said === "string" ? said : error.message };
        }
        // Refused for another reason than the scope: it says nothing either way.
        if (["auth", "network", "server", "rate_limited"].includes(error.kind)) {
          return { error: error.message };
        }
        return { granted: true };
      }
    },

    /** For readiness: whether the last call was refused for the app's credentials, and why. */
    credentials(): { ok: true } | { ok: false; reason: string } {
      return refused === undefined ? { ok: true } : { ok: false, reason: refused };
    },

    async botInfo(): Promise<BotInfo> {
      const body = await call("bot info", () =>
        client.request({ url: "/open-apis/bot/v3/info", method: "GET" }),
      );
      const bot = body.bot as { open_id?: string; app_name?: string; activate_status?: number };
      if (!bot?.open_id) {
        throw new LarkApiError("bot info", {
          msg: "no bot in the answer: enable the Bot capability for this app",
        });
      }
      return {
        openId: bot.open_id,
        appName: bot.app_name ?? "",
        activateStatus: bot.activate_status ?? 0,
      };
    },

    async reply(
      messageId: string,
      message: { msgType: string; content: unknown; replyInThread?: boolean; uuid?: string },
      callOptions?: CallOptions,
    ): Promise<SentMessage> {
      const body = await call(
        "reply",
        () =>
          client.im.v1.message.reply({
            path: { message_id: messageId },
            data: {
              msg_type: message.msgType,
              content: JSON.stringify(message.content),
              reply_in_thread: message.replyInThread ?? false,
              ...(message.uuid ? { uuid: message.uuid } : {}),
            },
          }),
        callOptions,
      );
      const data = body.data as { message_id?: string; thread_id?: string } | undefined;
      return { messageId: data?.message_id ?? "", threadId: data?.thread_id };
    },

    /** A new message to a chat (Send API, `receive_id_type=chat_id`): not a reply to anything. */
    async send(
      chatId: string,
      message: { msgType: string; content: unknown; uuid?: string },
      callOptions?: CallOptions,
    ): Promise<SentMessage> {
      const body = await call(
        "send",
        () =>
          client.im.v1.message.create({
            params: { receive_id_type: "chat_id" },
            data: {
              receive_id: chatId,
              msg_type: message.msgType,
              content: JSON.stringify(message.content),
              ...(message.uuid ? { uuid: message.uuid } : {}),
            },
          }),
        callOptions,
      );
      const data = body.data as { message_id?: string; thread_id?: string } | undefined;
      return { messageId: data?.message_id ?? "", threadId: data?.thread_id };
    },

    /** The message as `GET /im/v1/messages/:id` returns it (`data.items[0]`), unparsed. */
    async getMessage(messageId: string): Promise<unknown> {
      const body = await call(
        "get message",
        () => client.im.v1.message.get({ path: { message_id: messageId } }),
        { maxAttempts: 2 },
      );
      return (body.data as { items?: unknown[] } | undefined)?.items?.[0];
    },

    /**
     * A person's name (`GET /contact/v3/users/:open_id`, scope `contact:user.base:readonly`);
     * throws when Lark will not say (no scope, outside the app's contact range).
     */
    async userName(openId: string): Promise<string | undefined> {
      const body = await call(
        "get user",
        () =>
          client.request({
            url: `/open-apis/contact/v3/users/${encodeURIComponent(openId)}`,
            method: "GET",
            params: { user_id_type: "open_id" },
          }),
        { maxAttempts: 1 },
      );
      const name = (body.data as { user?: { name?: unknown } } | undefined)?.user?.name;
      return typeof name === "string" && name ? name : undefined;
    },

    /** A chat's name (`GET /im/v1/chats/:chat_id`, scope `im:chat:readonly`); throws as above. */
    async chatName(chatId: string): Promise<string | undefined> {
      const body = await call(
        "get chat",
        () =>
          client.request({
            url: `/open-apis/im/v1/chats/${encodeURIComponent(chatId)}`,
            method: "GET",
          }),
        { maxAttempts: 1 },
      );
      const name = (body.data as { name?: unknown } | undefined)?.name;
      return typeof name === "string" && name ? name : undefined;
    },

    /**
     * Every item `GET /im/v1/messages/:id` answers: for a forwarded chat (`merge_forward`), the
     * forward itself and then the messages in it, each with `upper_message_id`.
     */
    async getMessageItems(messageId: string): Promise<unknown[]> {
      const body = await call(
        "get message",
        () => client.im.v1.message.get({ path: { message_id: messageId } }),
        { maxAttempts: 2 },
      );
      const items = (body.data as { items?: unknown } | undefined)?.items;
      return Array.isArray(items) ? items : [];
    },

    /**
     * An image of a message the bot received (`GET /im/v1/messages/:id/resources/:key`, scope
     * `im:resource`), refused above `maxBytes`. Not retried: the answer goes on without it.
     */
    async downloadImage(
      messageId: string,
      imageKey: string,
      maxBytes: number,
    ): Promise<DownloadedImage> {
      return downloadImage(client, { messageId, imageKey, maxBytes }, options.downloadTimeoutMs);
    },

    /**
     * A file of a message the bot received (a voice message's audio: `type=file`, scope
     * `im:resource`), refused above `maxBytes`. Not retried: the user is told it failed.
     */
    async downloadFile(
      messageId: string,
      fileKey: string,
      maxBytes: number,
    ): Promise<DownloadedImage> {
      return downloadMessageFile(
        client,
        { messageId, fileKey, maxBytes },
        options.downloadTimeoutMs,
      );
    },

    /**
     * Lark's speech recognition of one clip (`POST /speech_to_text/v1/speech/file_recognize`,
     * scope `speech_to_text:speech`): base64 PCM, 16 kHz 16-bit mono, at most 60 s; `fileId`
     * is 16 letters, digits or `_`, chosen by the caller. Returns the recognised text.
     */
    async recognizeSpeech(pcm: Buffer, fileId: string): Promise<string> {
      const body = await call(
        "speech to text",
        () =>
          client.speech_to_text.v1.speech.fileRecognize({
            data: {
              speech: { speech: pcm.toString("base64") },
              config: { file_id: fileId, format: "pcm", engine_type: "16k_auto" },
            },
          }),
        { maxAttempts: 3 },
      );
      const text = (body.data as { recognition_text?: unknown } | undefined)?.recognition_text;
      return typeof text === "string" ? text : "";
    },

    /** An image this app uploaded (a picture it created), to draw a variation of it. */
    async downloadOwnImage(imageKey: string, maxBytes: number): Promise<DownloadedImage> {
      return downloadOwnImage(client, imageKey, maxBytes, options.downloadTimeoutMs);
    },

    /**
     * Uploads a picture for messages and cards (`POST /im/v1/images`, `image_type=message`,
     * scope `im:resource`; Lark takes up to 10 MB) and returns its `image_key`.
     */
    async uploadImage(data: Buffer, mimeType: string): Promise<string> {
      const name = `picture.${mimeType.split("/")[1] ?? "png"}`;
      const body = await call("upload image", () =>
        client.im.v1.image.create({
          data: { image_type: "message", image: namedFile(data, name) },
        }),
      );
      // The SDK hands back the answer's `data` for uploads, not the whole body.
      const imageKey = body.image_key as string | undefined;
      if (!imageKey) throw new LarkApiError("upload image", { msg: "no image_key in the answer" });
      return imageKey;
    },

    /**
     * Uploads a file for a file message (`POST /im/v1/files`, scope `im:resource`; Lark takes
     * up to 30 MB, never empty) and returns its `file_key`. `fileType` is Lark's: `pdf`, `doc`,
     * `xls`, `ppt`, `mp4`, `opus`, or `stream` for anything else.
     */
    async uploadFile(data: Buffer, name: string, fileType: string): Promise<string> {
      const body = await call("upload file", () =>
        client.im.v1.file.create({
          data: {
            file_type: fileType as "stream",
            file_name: name,
            file: namedFile(data, name),
          },
        }),
      );
      const fileKey = body.file_key as string | undefined;
      if (!fileKey) throw new LarkApiError("upload file", { msg: "no file_key in the answer" });
      return fileKey;
    },

    async patchCard(messageId: string, card: unknown, callOptions?: CallOptions): Promise<void> {
      await call(
        "card patch",
        () =>
          client.im.v1.message.patch({
            path: { message_id: messageId },
            data: { content: JSON.stringify(card) },
          }),
        callOptions,
      );
    },

    async addReaction(messageId: string, emojiType: string): Promise<string> {
      const body = await call(
        "add reaction",
        () =>
          client.im.v1.messageReaction.create({
            path: { message_id: messageId },
            data: { reaction_type: { emoji_type: emojiType } },
          }),
        { maxAttempts: 1 },
      );
      return String((body.data as { reaction_id?: string } | undefined)?.reaction_id ?? "");
    },

    async deleteReaction(messageId: string, reactionId: string): Promise<void> {
      await call(
        "delete reaction",
        () =>
          client.im.v1.messageReaction.delete({
            path: { message_id: messageId, reaction_id: reactionId },
          }),
        { maxAttempts: 2 },
      );
    },

    async createCard(card: unknown, callOptions?: CallOptions): Promise<string> {
      const body = await call(
        "card create",
        () =>
          client.cardkit.v1.card.create({
            data: { type: "card_json", data: JSON.stringify(card) },
          }),
        callOptions,
      );
      const cardId = (body.data as { card_id?: string } | undefined)?.card_id;
      if (!cardId) throw new LarkApiError("card create", { msg: "no card_id in the answer" });
      return cardId;
    },

    async streamCardText(
      cardId: string,
      elementId: string,
      content: string,
      sequence: number,
      callOptions?: CallOptions,
    ): Promise<void> {
      await call(
        "card stream",
        () =>
          client.cardkit.v1.cardElement.content({
            path: { card_id: cardId, element_id: elementId },
            data: { content, sequence, uuid: cardOperationUuid("c", cardId, sequence) },
          }),
        callOptions,
      );
    },

    async cardSettings(
      cardId: string,
      settings: unknown,
      sequence: number,
      callOptions?: CallOptions,
    ): Promise<void> {
      await call(
        "card settings",
        () =>
          client.cardkit.v1.card.settings({
            path: { card_id: cardId },
            data: {
              settings: JSON.stringify(settings),
              sequence,
              uuid: cardOperationUuid("s", cardId, sequence),
            },
          }),
        callOptions,
      );
    },

    async updateCard(
      cardId: string,
      card: unknown,
      sequence: number,
      callOptions?: CallOptions,
    ): Promise<void> {
      await call(
        "card update",
        () =>
          client.cardkit.v1.card.update({
            path: { card_id: cardId },
            data: {
              card: { type: "card_json", data: JSON.stringify(card) },
              sequence,
              uuid: cardOperationUuid("u", cardId, sequence),
            },
          }),
        callOptions,
      );
    },
  };
}

export type LarkApi = ReturnType<typeof createLarkApi>;

/**
 * Bytes as the SDK's upload wants them: it builds the multipart body with form-data, which
 * names a file part after a stream's `path` and sends a bare Buffer without a file name, a
 * text field to multipart servers. A fresh stream per attempt, since a retry re-reads it.
 */
function namedFile(data: Buffer, name: string): fs.ReadStream {
  return Object.assign(Readable.from([data]), { path: name }) as unknown as fs.ReadStream;
}

/** Lark codes that mean "this tenant token is no good" (docs/lark-notes.md#tenant-token-errors). */
const STALE_TOKEN_CODES = new Set([99991663, 99991664, 99991665, 99991671]);

/**
 * Per-bot token cache in the shape the SDK expects (expiry given as an absolute epoch-ms time,
 * which the SDK computes from the machine's clock). Kept as a lifetime on the monotonic clock:
 * after the machine's clock jumped back, an expired token would otherwise be sent for hours
 * (every call refused), and after a jump forward a good one thrown away.
 */
function createTokenCache() {
  const values = new Map<string, { value: unknown; until: number }>();
  const keyOf = (key: unknown, namespace?: string) => `${namespace ?? ""}:${String(key)}`;
  return {
    async set(
      key: unknown,
      value: unknown,
      expiredTime?: number,
      options?: { namespace?: string },
    ) {
      const lifetime =
        expiredTime === undefined ? Number.POSITIVE_INFINITY : expiredTime - Date.now();
      values.set(keyOf(key, options?.namespace), { value, until: performance.now() + lifetime });
      return true;
    },
    async get(key: unknown, options?: { namespace?: string }) {
      const entry = values.get(keyOf(key, options?.namespace));
      if (!entry || entry.until <= performance.now()) return undefined;
      return entry.value;
    },
    clear(): void {
      values.clear();
    },
  };
}

function sdkLogger(log: Logger) {
  const quiet = () => log.debug("lark sdk reported an error (classified by larkgate)");
  return { error: quiet, warn: quiet, info: () => {}, debug: () => {}, trace: () => {} };
}
