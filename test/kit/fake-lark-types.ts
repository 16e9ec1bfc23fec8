import type { IncomingHttpHeaders, Server } from "node:http";
import type { FakeUploadedFile } from "./fake-lark-file-routes.js";
import type { FakeImage } from "./fake-lark-image-routes.js";
import type { SpeechRequest, SpeechScript } from "./fake-lark-speech-routes.js";
import type { WireJson } from "./wire-json.js";

/** Public types of the fake Lark Open Platform (see `createFakeLark`). */

export interface FakeApp {
  appId: string;
  appSecret: string;
  botOpenId: string;
  botName: string;
}

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  body: WireJson;
  params: Record<string, string>;
  /** Resolved from the bearer token, when it is one the fake issued. */
  appId?: string;
}

export interface FakeResponse {
  status?: number;
  headers?: Record<string, string>;
  /** JSON-serialised; a Buffer is sent raw. */
  body: unknown;
}

export type RouteHandler = (req: FakeRequest) => FakeResponse | Promise<FakeResponse>;

export interface RecordedCall {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: WireJson;
  appId?: string;
  /** `performance.now()` when the request arrived. */
  at: number;
  status: number;
  /** Lark `code` of the answer (0 on success), when the answer had one. */
  code?: number;
}

export interface FakeMessage {
  messageId: string;
  appId: string;
  /** Empty when the bot replied to a message the fake never saw (e.g. pushed elsewhere). */
  chatId: string;
  rootId?: string;
  parentId?: string;
  threadId?: string;
  msgType: string;
  /** Parsed `content`; updated in place by PATCH/PUT. */
  content: WireJson;
  /** Target of a reply. */
  replyTo?: string;
  replyInThread?: boolean;
  uuid?: string;
  /** `receive_id` / `receive_id_type` of a create. */
  receiveId?: string;
  receiveIdType?: string;
  /** The CardKit card this message shows (`{"type":"card","data":{"card_id"}}`). */
  card?: FakeCard;
  deleted: boolean;
  /** Epoch ms (the `create_time` Lark reports). */
  createdAt: number;
  /** Epoch ms of the last PATCH/PUT (equals `createdAt` until then). */
  updatedAt: number;
  /** PATCH/PUT history; `at` is `performance.now()`. */
  updates: Array<{ at: number; content: WireJson }>;
}

export interface FakeCard {
  cardId: string;
  appId: string;
  /** Current card JSON (element contents are kept in sync with streaming updates). */
  json: WireJson;
  streaming: boolean;
  /** Last accepted sequence across all CardKit operations on this card. */
  sequence: number;
  /** element_id → current text content. */
  elements: Map<string, string>;
  /** element_id → component tag. */
  elementTags: Map<string, string>;
  contentUpdates: Array<{ at: number; elementId: string; content: string; sequence: number }>;
  settings: Array<{ at: number; settings: WireJson; sequence: number }>;
  fullUpdates: Array<{ at: number; json: WireJson; sequence: number }>;
  sentAsMessageId?: string;
}

export interface FakeReaction {
  reactionId: string;
  messageId: string;
  appId: string;
  emojiType: string;
  deleted: boolean;
}

export interface InjectRule {
  /** A route pattern (`/open-apis/im/v1/messages/:message_id`), an exact path, or a RegExp. */
  path: string | RegExp;
  method?: string;
  /** How many matching requests this rule answers (default 1; Infinity for a lasting fault). */
  times?: number;
  /** The share of matching requests the rule takes (default 1); the others pass it by. */
  probability?: number;
  /** Counted by the fake: how many requests this rule answered so far. */
  taken?: number;
  /** Defaults: 429 for code 99991400, else 400 (500 when only a status-less delay is wanted). */
  status?: number;
  code?: number;
  msg?: string;
  /** Latency added before answering (or before normal handling when no error is set). */
  delayMs?: number;
  headers?: Record<string, string>;
}

export interface PushOptions {
  encryptKey?: string;
  /** Default: true when `encryptKey` is set. */
  sign?: boolean;
  /** Send a signature that does not match the body. */
  forgeSignature?: boolean;
  /** Sign with SHA-1 over this verification token (legacy card callbacks). */
  legacyVerificationToken?: string;
  timestamp?: string;
  nonce?: string;
  /** Give up waiting for the answer after this long (status 0, `timedOut: true`). */
  timeoutMs?: number;
  headers?: Record<string, string>;
}

export interface PushResult {
  status: number;
  body: string;
  headers: IncomingHttpHeaders;
  ms: number;
  timedOut?: boolean;
  error?: string;
}

export interface PushWithRetriesOptions {
  encryptKey?: string;
  sign?: boolean;
  /** Waits before each re-push. Lark's are 15 s, 5 min, 1 h, 6 h; tests pass e.g. [50, 100]. */
  retryDelaysMs?: number[];
  /** Re-push even after an HTTP 200, as Lark sometimes does. */
  alwaysRedeliver?: boolean;
  /** How long each attempt may take before it counts as failed (Lark: 3 s). */
  timeoutMs?: number;
}

export interface FakeLarkLimits {
  /** CardKit operations per card per second (Lark: 10). 0 disables. */
  cardOpsPerSecond?: number;
  /** PATCHes per message per second (Lark: 5). 0 disables. */
  patchPerSecond?: number;
}

export interface FakeLarkOptions extends Partial<FakeApp> {
  limits?: FakeLarkLimits;
}

export interface FakeLark {
  /** `http://127.0.0.1:PORT`, no trailing slash: pass it as the SDK `domain`. */
  url: string;
  server: Server;
  /** The app created from the options. */
  app: FakeApp;
  apps: ReadonlyMap<string, FakeApp>;
  addApp(app: Partial<FakeApp>): FakeApp;
  /** Later additions win over built-ins and earlier additions. */
  addRoute(method: string, path: string, handler: RouteHandler): void;
  calls: RecordedCall[];
  callsTo(pathPattern: string | RegExp, method?: string): RecordedCall[];
  messages: FakeMessage[];
  cards: Map<string, FakeCard>;
  reactions: FakeReaction[];
  /** Images apps uploaded (`POST /im/v1/images`), by image_key. */
  images: ReadonlyMap<string, FakeImage>;
  /** Files apps uploaded (`POST /im/v1/files`), by file_key. */
  uploadedFiles: ReadonlyMap<string, FakeUploadedFile>;
  /** Speech recognition (`file_recognize`): the calls, and what the next ones answer. */
  speech: { requests: SpeechRequest[]; script(script: SpeechScript): void };
  inject(rule: InjectRule): void;
  /** A person the contact API knows by name (and a group the chat API does). */
  addPerson(openId: string, name: string): void;
  addGroup(chatId: string, name: string): void;
  revokeScope(appId: string, scope: string): void;
  grantScope(appId: string, scope: string): void;
  /** Makes every issued tenant token of the app (or of all apps) invalid (99991663). */
  invalidateTokens(appId?: string): void;
  /** Tells the fake about a user message pushed to the bot, so replies know its chat/thread. */
  rememberInbound(envelope: unknown): void;
  /**
   * Attaches a file to a message (an image key in an image or post message, a voice message's
   * file_key), for `GET /im/v1/messages/:id/resources/:key`; until then Lark answers 234003.
   * An image is served to `type=image` only, anything else to `type=file` only.
   */
  addResource(messageId: string, fileKey: string, data: Buffer, contentType?: string): void;
  /**
   * The messages inside a forwarded chat (`merge_forward`) a test pushes: `GET
   * /im/v1/messages/:id` of the forward then answers it followed by these, each with
   * `upper_message_id` (a forward inside names its own children by its message id).
   */
  addForwarded(forwardId: string, children: ForwardedChild[]): void;
  waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs?: number): Promise<T>;
  waitForMessages(
    count: number,
    filter?: (m: FakeMessage) => boolean,
    timeoutMs?: number,
  ): Promise<FakeMessage[]>;
  push(url: string, envelope: object, opts?: PushOptions): Promise<PushResult>;
  pushWithRetries(
    url: string,
    envelope: object,
    opts?: PushWithRetriesOptions,
  ): Promise<PushResult[]>;
  /** Clears calls, messages, cards, reactions, injections and scope revocations; keeps apps. */
  reset(): void;
  close(): Promise<void>;
}

/** One message inside a forwarded chat, as `GET /im/v1/messages/:id` lists it. */
export interface ForwardedChild {
  messageId: string;
  msgType: string;
  content: unknown;
  senderOpenId: string;
  /** `app` for a bot's message; `user` by default. */
  senderType?: "user" | "app";
  createTime: string;
  /** The forward that holds it, when not the outer one (a forward inside a forward). */
  upperMessageId?: string;
}
