import type { WsStatus } from "../lark/ws/ws-receiver.js";

/** What a bot's Request URLs have seen since start (the gateway's push tracker). */
export interface PushSeen {
  acked: number;
  lastAckedAt?: number;
  rejected: number;
  lastRejected?: { code: string; at: number; route: string };
}

/** What the Bots page shows of one bot; nothing secret (no app secret, no keys). */
export interface ConsoleBot {
  id: string;
  name?: string;
  appId: string;
  domain: string;
  eventMode: "webhook" | "websocket";
  backend: string;
  model?: string;
  answerMode?: "cardkit" | "patch" | "final";
  /** Paths of its Request URLs (event, card callback). */
  requestPaths: string[];
  credentials: { ok: true } | { ok: false; reason: string };
  pushes?: PushSeen;
  longConnection?: WsStatus;
}

/** The effective configuration, secrets already masked, and where it was read from. */
export interface ConsoleConfig {
  /** The config file, or undefined when only the environment was read. */
  file?: string;
  publicUrl?: string;
  masked: unknown;
}
