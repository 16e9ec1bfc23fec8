import * as lark from "@larksuiteoapi/node-sdk";
import type { Logger } from "pino";
import {
  envelopeEventId,
  envelopeEventType,
  isRecord,
  type LarkEnvelope,
  readEnvelope,
} from "../lark-envelope.js";
import { acceptCardFrames } from "./card-frames.js";
import { createDiscoveryHttp, type DiscoveryOutcome } from "./discovery-http.js";
import { EnvelopeDispatcher, type EnvelopeRoute } from "./envelope-dispatcher.js";
import { createSdkLogger } from "./sdk-logger.js";

export type WsState = "idle" | "connecting" | "connected" | "reconnecting" | "failed" | "closed";

export interface WsStatus {
  state: WsState;
  /** Epoch ms of the last state change. */
  since: number;
  /** Connections re-established after the first one. */
  reconnects: number;
  lastError?: string;
}

export interface WsReceiver {
  /** Starts connecting and returns; progress is visible through `status()`. */
  start(): Promise<void>;
  close(): Promise<void>;
  status(): WsStatus;
}

export interface WsReceiverOptions {
  appId: string;
  appSecret: string;
  /** `https://open.feishu.cn`, `https://open.larksuite.com`, or a custom base URL. */
  domain: string;
  logger: Logger;
  /**
   * Gets each handled envelope exactly as a webhook would, checked by the same `readEnvelope`,
   * and must return fast (persist and return): the SDK acks only after it settles, and Lark
   * re-pushes what is not acked in 3 s. For `card.action.trigger` the value is the callback
   * response (toast/card). A throw is acked with code 500.
   */
  onEnvelope: (envelope: LarkEnvelope) => Promise<unknown>;
  /** Event types passed to `onEnvelope`; others are acked and dropped. */
  eventTypes?: readonly string[];
  /**
   * Seconds to wait for any frame after a ping before the socket counts as dead (half-open) and
   * is replaced. Must stay below Lark's PingInterval (about 2 min): the SDK re-arms its watchdog
   * on every ping, so a longer window never fires. 0 disables. Default 15.
   */
  pingTimeoutSec?: number;
  /** Delay before starting the SDK client again after it gave up. Default 1 s doubling to 60 s. */
  restartBackoffMs?: { initial: number; max: number };
  /** Abort a WebSocket handshake that hangs this long. Default 15000. */
  handshakeTimeoutMs?: number;
}

export const WS_EVENT_TYPES: readonly string[] = [
  "im.message.receive_v1",
  "im.message.recalled_v1",
  "card.action.trigger",
  "im.chat.member.bot.added_v1",
  "p2p_chat_create",
];

// The SDK's own check (`WSClient.start` silently refuses anything else).
const APP_ID_PATTERN = /^cli_[0-9a-fA-F]{16}$/;

/**
 * Receives Lark events over the long connection, around the SDK's `WSClient`, adding what it
 * lacks: card frames, a liveness watchdog by default, restarts after it gives up, and status.
 *
 * @example
 * const receiver = createWsReceiver({ appId, appSecret, domain: "https://open.feishu.cn",
 *   logger, onEnvelope: async (envelope) => intake.accept(envelope) });
 * await receiver.start();
 */
export function createWsReceiver(options: WsReceiverOptions): WsReceiver {
  const { appId, appSecret } = checkOptions(options);
  const domain = options.domain.replace(/\/+$/, "");
  const pingTimeoutSec = options.pingTimeoutSec ?? 15;
  const backoff = options.restartBackoffMs ?? { initial: 1000, max: 60_000 };
  const handled = new Set(options.eventTypes ?? WS_EVENT_TYPES);
  const log = options.logger.child({ component: "lark-ws", appId });

  let status: WsStatus = { state: "idle", since: Date.now(), reconnects: 0 };
  let client: lark.WSClient | undefined;
  let session = 0;
  let sessionHasConfig = false;
  let everConnected = false;
  let disconnectCause: string | undefined;
  let restartDelay = backoff.initial;
  let restartTimer: NodeJS.Timeout | undefined;
  let warnedWatchdog = false;
  let started = false;
  let closed = false;

  const sdkLogger = createSdkLogger(log, {
    secrets: [appSecret],
    onProblem(message) {
      if (message.includes("no pong")) {
        disconnectCause = `no frame within ${pingTimeoutSec}s of a ping: replaced a dead (half-open) connection`;
      } else if (message.includes("ws connect failed") || message.includes("handshake timeout")) {
        status.lastError = "WebSocket handshake with Lark failed";
      }
    },
  });

  const route: EnvelopeRoute = async (frame) => {
    const read = readEnvelope(isRecord(frame) ? frame : {});
    if ("problem" in read) {
      // Acked: Lark would re-push the same malformed frame, and it would never read better.
      log.warn({ reason: read.problem }, "malformed lark ws envelope ignored");
      return undefined;
    }
    const { envelope } = read;
    const eventType = envelopeEventType(envelope);
    const eventId = envelopeEventId(envelope);
    if (!handled.has(eventType)) {
      log.debug({ eventType, eventId }, "lark ws event ignored");
      return undefined;
    }
    try {
      return await options.onEnvelope(envelope);
    } catch (error) {
      log.error({ err: error, eventType, eventId }, "lark ws envelope handler failed; acked 500");
      throw error;
    }
  };
  const dispatcher = new EnvelopeDispatcher(route, sdkLogger);

  function setState(state: WsState, lastError?: string): void {
    if (lastError !== undefined) status.lastError = lastError;
    if (state === status.state) return;
    status = { ...status, state, since: Date.now() };
    const { reconnects } = status;
    log.info({ state, reconnects, lastError: status.lastError }, `lark ws ${state}`);
  }

  function startSession(): void {
    session += 1;
    const mine = session;
    const live = () => mine === session && !closed;
    sessionHasConfig = false;
    client = new lark.WSClient({
      appId,
      appSecret,
      domain,
      logger: sdkLogger,
      loggerLevel: lark.LoggerLevel.debug,
      httpInstance: createDiscoveryHttp((outcome) => live() && onDiscovery(outcome)),
      handshakeTimeoutMs: options.handshakeTimeoutMs ?? 15_000,
      wsConfig: { pingTimeout: pingTimeoutSec },
      onReady: () => live() && onConnected(),
      onReconnected: () => live() && onConnected(),
      onReconnecting: () =>
        live() && setState("reconnecting", disconnectCause ?? "connection lost"),
      onError: (error) => live() && restart(error.message, true),
    });
    acceptCardFrames(client);
    setState(retryingState());
    void client.start({ eventDispatcher: dispatcher });
  }

  function onDiscovery(outcome: DiscoveryOutcome): void {
    if (outcome.ok) {
      sessionHasConfig = true;
      if (pingTimeoutSec > 0 && pingTimeoutSec >= outcome.pingIntervalSec && !warnedWatchdog) {
        warnedWatchdog = true;
        const pingIntervalSec = outcome.pingIntervalSec;
        log.warn({ pingTimeoutSec, pingIntervalSec }, "lark ws watchdog can never fire");
      }
      return;
    }
    status.lastError = outcome.error;
    // Fatal codes end the SDK's session anyway; answer them here, with the clearer message.
    // Before any config arrived the SDK would retry on its defaults (up to 30 s + 120 s apart),
    // so a failing first discovery is retried on our backoff instead.
    if (outcome.fatal || !sessionHasConfig) restart(outcome.error, outcome.fatal);
  }

  function onConnected(): void {
    if (everConnected) status.reconnects += 1;
    everConnected = true;
    disconnectCause = undefined;
    restartDelay = backoff.initial;
    setState("connected");
  }

  /** A failure that needs attention (e.g. a wrong secret) stays visible until a connection works. */
  function retryingState(): WsState {
    if (status.state === "failed") return "failed";
    return everConnected ? "reconnecting" : "connecting";
  }

  /** Drops the current SDK client and starts a fresh one after the backoff delay. */
  function restart(error: string, failed: boolean): void {
    session += 1; // callbacks of the dropped client are ignored from here on
    client?.close({ force: true });
    client = undefined;
    setState(failed ? "failed" : retryingState(), error);
    const delayMs = restartDelay;
    restartDelay = Math.min(restartDelay * 2, backoff.max);
    log.info({ delayMs, lastError: error }, "lark ws client restart scheduled");
    restartTimer = setTimeout(() => {
      restartTimer = undefined;
      if (!closed) startSession();
    }, delayMs);
  }

  return {
    async start() {
      if (closed) throw new Error("this lark ws receiver was closed; create a new one");
      if (started) return;
      started = true;
      startSession();
    },
    async close() {
      if (closed) return;
      closed = true;
      session += 1;
      if (restartTimer) clearTimeout(restartTimer);
      client?.close({ force: true });
      client = undefined;
      setState("closed");
    },
    status: () => ({ ...status }),
  };
}

function checkOptions(options: WsReceiverOptions): { appId: string; appSecret: string } {
  const { appId, appSecret, domain } = options;
  if (!APP_ID_PATTERN.test(appId)) {
    throw new Error(
      `APP_ID "${appId}" is not a Lark app id: long-connection mode needs "cli_" followed by ` +
        "16 hex characters (e.g. cli_a1b2c3d4e5f60718), as shown in the developer console",
    );
  }
  if (!appSecret) throw new Error(`APP_SECRET is empty for app ${appId}: copy it from the console`);
  if (!/^https?:\/\/[^/]+/.test(domain)) {
    throw new Error(
      `Lark domain "${domain}" is not a base URL: use https://open.feishu.cn, ` +
        "https://open.larksuite.com, or your private deployment's https://host",
    );
  }
  const backoff = options.restartBackoffMs;
  if (backoff && !(backoff.initial > 0 && backoff.max >= backoff.initial)) {
    throw new Error("restartBackoffMs needs 0 < initial <= max");
  }
  if (options.pingTimeoutSec !== undefined && !(options.pingTimeoutSec >= 0)) {
    throw new Error("pingTimeoutSec must be a number of seconds >= 0 (0 disables the watchdog)");
  }
  return { appId, appSecret };
}
