import type { Server } from "node:http";
import type { RouteHandler } from "./fake-lark-types.js";

/** Public types of the fake Lark long-connection server (see `attachFakeLarkWs`). */

/** Seconds, as Lark sends them. Every field must be a number or the SDK pings in a tight loop. */
export interface WsClientConfig {
  PingInterval: number;
  ReconnectCount: number;
  ReconnectInterval: number;
  ReconnectNonce: number;
}

export interface FakeLarkWsTarget {
  url: string;
  server: Server;
  addRoute(method: string, path: string, handler: RouteHandler): void;
}

export interface FakeLarkWsOptions {
  apps: Array<{ appId: string; appSecret: string }>;
  /** Default: ping every 1 s, reconnect forever every 1 s without jitter (fast tests). */
  clientConfig?: WsClientConfig;
}

export interface WsAck {
  messageId: string;
  /** 200 when the handler returned, 500 when it threw. */
  code: number;
  /** The decoded base64 JSON `data` (a card callback's response), when present. */
  data?: unknown;
  headers: Record<string, string>;
  connectionId: number;
  /** `performance.now()` when the ack arrived. */
  at: number;
}

export interface PushEventOptions {
  /** Split the payload into this many frames (same `message_id`, `sum`, `seq`). */
  fragments?: number;
  /** Header `type`; Lark sends card callbacks as `event`, `card` exists in the protocol too. */
  type?: "event" | "card";
  messageId?: string;
  /** Which app's connections may receive it. Default: `header.app_id` of the envelope. */
  appId?: string;
  /** Default 5000. */
  ackTimeoutMs?: number;
  /** How long to wait for a live connection to deliver to. Default 5000. */
  connectTimeoutMs?: number;
}

export interface PushEventResult {
  messageId: string;
  /** `performance.now()` just before the first frame was written. */
  sentAt: number;
  ackAt: number;
  ack: { code: number; data?: unknown };
  connectionId: number;
}

export interface RepushOptions extends Omit<PushEventOptions, "ackTimeoutMs"> {
  /** Re-send when no ack arrived this long after a push (Lark: 3 s). */
  repushAfterMs: number;
  /** Maximum number of re-pushes after the first push. */
  times: number;
}

export interface RepushResult extends PushEventResult {
  /** Every push of the message, in order (the first ack may answer any of them). */
  pushes: Array<{ sentAt: number; connectionId: number }>;
}

export interface FakeWsConnection {
  id: number;
  appId: string;
  deviceId: string;
  serviceId: number;
  silenced: boolean;
  pings: number;
  open: boolean;
}

export interface FakeLarkWs {
  /** Open sockets (silenced ones included: the server cannot tell they are dead). */
  readonly connections: number;
  /** Sockets accepted since attach. */
  readonly connectCount: number;
  readonly pings: number;
  readonly endpointCalls: number;
  readonly acks: readonly WsAck[];
  /** Frames from clients that failed to decode, or text frames. */
  readonly errors: readonly string[];
  readonly clientConfig: WsClientConfig;
  sockets(): FakeWsConnection[];
  /** Applies to later discoveries and pongs. */
  setClientConfig(config: Partial<WsClientConfig>): void;
  /** The next `n` endpoint discoveries answer HTTP 500. */
  failEndpoint(n: number): void;
  /** Current sockets stop answering pings and receive nothing more (half-open). */
  silence(): void;
  /** Closes every socket from the server side (`abrupt`: no close frame). */
  dropConnections(options?: { abrupt?: boolean }): void;
  /** Waits until `n` live (open, not silenced) sockets exist. */
  waitForConnections(n?: number, timeoutMs?: number): Promise<void>;
  pushEvent(envelope: object, options?: PushEventOptions): Promise<PushEventResult>;
  pushWithRepush(envelope: object, options: RepushOptions): Promise<RepushResult>;
  close(): Promise<void>;
}
