import type { FakeUploadedFile } from "./fake-lark-file-routes.js";
import type { FakeImage } from "./fake-lark-image-routes.js";
import type { FakeResource } from "./fake-lark-resource-routes.js";
import type { SpeechRequest, SpeechScript } from "./fake-lark-speech-routes.js";
import type {
  FakeApp,
  FakeCard,
  FakeLarkLimits,
  FakeMessage,
  FakeReaction,
  FakeResponse,
  ForwardedChild,
  InjectRule,
  RecordedCall,
} from "./fake-lark-types.js";
import { createRateWindow, type RateWindow } from "./rate-window.js";

/** A user message the bot received (pushed by a test), so replies can inherit chat and thread. */
export interface InboundRecord {
  messageId: string;
  chatId: string;
  threadId?: string;
  rootId?: string;
  parentId?: string;
  msgType?: string;
  content?: string;
  senderOpenId?: string;
  createTime?: string;
  /** As GET returns them: `{key, id: "ou_…", id_type: "open_id", name}`. */
  mentions?: Array<{ key: string; id: string; id_type: "open_id"; name: string }>;
}

/** Everything the fake remembers; the route modules read and write it directly. */
export interface FakeLarkState {
  apps: Map<string, FakeApp>;
  /** Issued tenant tokens → owner and expiry (epoch ms). */
  tokens: Map<string, { appId: string; expiresAt: number }>;
  revokedScopes: Map<string, Set<string>>;
  calls: RecordedCall[];
  messages: FakeMessage[];
  messagesById: Map<string, FakeMessage>;
  inbound: Map<string, InboundRecord>;
  /** `${messageId}\n${fileKey}` → the bytes the resources route serves. */
  resources: Map<string, FakeResource>;
  /** forward's message id → the messages inside it. */
  forwards: Map<string, ForwardedChild[]>;
  /** image_key → an image an app uploaded. */
  images: Map<string, FakeImage>;
  /** file_key → a file an app uploaded. */
  uploadedFiles: Map<string, FakeUploadedFile>;
  /** `${appId}\n${uuid}` → first message sent with that uuid. */
  messageUuids: Map<string, FakeMessage>;
  /** `${appId}\n${openId}` → the p2p chat id the fake invented for that user. */
  p2pChats: Map<string, string>;
  cards: Map<string, FakeCard>;
  /** card_id → uuids already applied (CardKit retries with the same uuid are idempotent). */
  cardUuids: Map<string, Set<string>>;
  reactions: FakeReaction[];
  /** Speech recognition calls, and the answers scripted for the next ones. */
  speech: { requests: SpeechRequest[]; scripts: SpeechScript[] };
  injections: Array<InjectRule & { remaining: number }>;
  limits: Required<FakeLarkLimits>;
  cardOps: RateWindow;
  patches: RateWindow;
  /** open_id → a person's name, for the contact API (kept across reset, like apps). */
  people: Map<string, string>;
  /** chat_id → the group's name and type, for the chat info API (kept across reset). */
  groups: Map<string, { name: string; chatType: "group" | "p2p" }>;
}

export function createState(limits: FakeLarkLimits = {}): FakeLarkState {
  return {
    apps: new Map(),
    tokens: new Map(),
    revokedScopes: new Map(),
    people: new Map(),
    groups: new Map(),
    calls: [],
    messages: [],
    messagesById: new Map(),
    inbound: new Map(),
    resources: new Map(),
    forwards: new Map(),
    images: new Map(),
    uploadedFiles: new Map(),
    messageUuids: new Map(),
    p2pChats: new Map(),
    cards: new Map(),
    cardUuids: new Map(),
    reactions: [],
    speech: { requests: [], scripts: [] },
    injections: [],
    // Lark's documented limits (docs/lark-notes.md#rate-limits): 10 ops/s per card, 5 PATCH/s per message.
    limits: {
      cardOpsPerSecond: limits.cardOpsPerSecond ?? 10,
      patchPerSecond: limits.patchPerSecond ?? 5,
    },
    cardOps: createRateWindow(1000),
    patches: createRateWindow(1000),
  };
}

/** Empties the recorded traffic and test-made state; apps and issued tokens survive. */
export function clearState(state: FakeLarkState): void {
  state.calls.length = 0;
  state.messages.length = 0;
  state.reactions.length = 0;
  state.injections.length = 0;
  state.speech.requests.length = 0;
  state.speech.scripts.length = 0;
  for (const map of [
    state.messagesById,
    state.inbound,
    state.resources,
    state.images,
    state.uploadedFiles,
    state.messageUuids,
    state.p2pChats,
    state.cards,
    state.cardUuids,
    state.revokedScopes,
  ]) {
    map.clear();
  }
  state.cardOps.clear();
  state.patches.clear();
}

/** A business error a route handler throws; the dispatcher turns it into Lark's error body. */
export class LarkFault extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly status: number = statusForCode(code),
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** HTTP status Lark uses for a code: 429 for the gateway rate limit, 400 for everything else. */
export function statusForCode(code: number): number {
  return code === 99991400 ? 429 : 400;
}

export function larkError(
  code: number,
  msg: string,
  status = statusForCode(code),
  headers: Record<string, string> = {},
): FakeResponse {
  return { status, headers, body: { code, msg } };
}

export function larkOk(data: unknown, msg = "success"): FakeResponse {
  return { status: 200, body: { code: 0, msg, data } };
}

/** The app that owns the request's token; routes behind the auth check always have one. */
export function requireApp(state: FakeLarkState, appId: string | undefined): FakeApp {
  const app = appId ? state.apps.get(appId) : undefined;
  if (!app) throw new LarkFault(99991663, "tenant token invalid");
  return app;
}

/** A message id the fake can act on: its own, or an `om_…` it never saw (pushed elsewhere). */
export function looksLikeMessageId(id: string): boolean {
  return /^om_[0-9A-Za-z_]+$/.test(id);
}
