import { randomInt } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type RawData, type WebSocket, WebSocketServer } from "ws";
import type {
  FakeLarkWs,
  FakeLarkWsOptions,
  FakeLarkWsTarget,
  FakeWsConnection,
  PushEventOptions,
  RepushOptions,
  RepushResult,
  WsAck,
  WsClientConfig,
} from "./fake-lark-ws-types.js";
import { randomHex } from "./ids.js";
import { decodeFrame, encodeFrame, FRAME_CONTROL, FRAME_DATA, frameHeaders } from "./pbbp2.js";
import { waitFor } from "./wait-for.js";

/**
 * Lark's long-connection side (docs/lark-notes.md#long-connection): endpoint discovery on the shared fake HTTP
 * server, a pbbp2 WebSocket on `/ws`, ping/pong, data frames (optionally fragmented) pushed to
 * ONE random connection of the app, and ack correlation by `message_id`.
 *
 * @example
 * const lark = await createFakeLark();
 * const ws = attachFakeLarkWs(lark, { apps: [{ appId, appSecret }] });
 * // point the SDK's WSClient at `lark.url`, then:
 * const { ack } = await ws.pushEvent(messageEvent({ appId, chatId, chatType: "p2p", … }));
 */

export type * from "./fake-lark-ws-types.js";

interface Connection extends FakeWsConnection {
  ws: WebSocket;
}

interface Ticket {
  appId: string;
  deviceId: string;
  serviceId: number;
}

const WS_PATH = "/ws";

export function attachFakeLarkWs(target: FakeLarkWsTarget, options: FakeLarkWsOptions): FakeLarkWs {
  const apps = new Map(options.apps.map((app) => [app.appId, app.appSecret]));
  let clientConfig: WsClientConfig = options.clientConfig ?? {
    PingInterval: 1,
    ReconnectCount: -1,
    ReconnectInterval: 1,
    ReconnectNonce: 0,
  };
  const tickets = new Map<string, Ticket>();
  const connections: Connection[] = [];
  const acks: WsAck[] = [];
  const errors: string[] = [];
  const ackListeners = new Set<(ack: WsAck) => void>();
  let endpointFailures = 0;
  let endpointCalls = 0;
  let pings = 0;
  let nextConnectionId = 1;
  let nextSeq = 1;
  let closed = false;

  target.addRoute("POST", "/callback/ws/endpoint", (req) => {
    endpointCalls += 1;
    if (closed) return { status: 503, body: { code: 1, msg: "fake closed" } };
    if (endpointFailures > 0) {
      endpointFailures -= 1;
      return { status: 500, body: { code: 1, msg: "injected failure" } };
    }
    const appId = String(req.body?.AppID ?? "");
    if (!apps.has(appId) || apps.get(appId) !== req.body?.AppSecret) {
      return { body: { code: 514, msg: "auth failed", data: {} } };
    }
    const ticket = randomHex(16);
    // device_id must not be the first query key: the SDK parses the whole URL as a query string.
    const grant: Ticket = { appId, deviceId: randomHex(8), serviceId: randomInt(1, 2 ** 31 - 1) };
    tickets.set(ticket, grant);
    const base = target.url.replace(/^http/, "ws");
    const url = `${base}${WS_PATH}?fpid=1&device_id=${grant.deviceId}&service_id=${grant.serviceId}&ticket=${ticket}`;
    return { body: { code: 0, msg: "ok", data: { URL: url, ClientConfig: { ...clientConfig } } } };
  });

  const wss = new WebSocketServer({ noServer: true });
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname !== WS_PATH) {
      // Someone else may serve this path; if nobody does, do not leave the socket hanging.
      if (target.server.listenerCount("upgrade") === 1) socket.destroy();
      return;
    }
    const key = url.searchParams.get("ticket") ?? "";
    const grant = tickets.get(key);
    if (!grant || closed) {
      socket.end("HTTP/1.1 403 Forbidden\r\nHandshake-Status: 403\r\nConnection: close\r\n\r\n");
      return;
    }
    tickets.delete(key); // single use: every reconnect must discover the endpoint again
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, grant));
  };
  target.server.on("upgrade", onUpgrade);

  function accept(ws: WebSocket, grant: Ticket): void {
    const conn: Connection = {
      ...grant,
      id: nextConnectionId++,
      silenced: false,
      pings: 0,
      open: true,
      ws,
    };
    connections.push(conn);
    ws.on("message", (raw, isBinary) => onFrame(conn, raw, isBinary));
    ws.on("close", () => {
      conn.open = false;
    });
    ws.on("error", () => {
      conn.open = false;
    });
  }

  function onFrame(conn: Connection, raw: RawData, isBinary: boolean): void {
    if (conn.silenced) return;
    if (!isBinary) {
      errors.push(`connection ${conn.id}: text frame`);
      return;
    }
    const bytes = Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw as ArrayBuffer);
    let frame: ReturnType<typeof decodeFrame>;
    try {
      frame = decodeFrame(bytes);
    } catch (error) {
      errors.push(`connection ${conn.id}: ${String(error)}`);
      return;
    }
    const headers = frameHeaders(frame);
    if (frame.method === FRAME_CONTROL && headers.type === "ping") {
      pings += 1;
      conn.pings += 1;
      const payload = Buffer.from(JSON.stringify(clientConfig));
      const pong = { SeqID: 0, LogID: 0, service: conn.serviceId, method: FRAME_CONTROL };
      conn.ws.send(encodeFrame({ ...pong, headers: [{ key: "type", value: "pong" }], payload }));
      return;
    }
    if (frame.method === FRAME_DATA) recordAck(conn, headers, frame.payload);
  }

  function recordAck(conn: Connection, headers: Record<string, string>, payload?: Uint8Array) {
    let body: { code?: unknown; data?: unknown } = {};
    try {
      body = JSON.parse(Buffer.from(payload ?? []).toString("utf8"));
    } catch {
      errors.push(`connection ${conn.id}: ack payload is not JSON`);
    }
    const ack: WsAck = {
      messageId: headers.message_id ?? "",
      code: Number(body.code),
      headers,
      connectionId: conn.id,
      at: performance.now(),
    };
    if (typeof body.data === "string") ack.data = decodeAckData(body.data);
    acks.push(ack);
    for (const listener of [...ackListeners]) listener(ack);
  }

  function live(appId?: string): Connection[] {
    return connections.filter(
      (c) =>
        c.open && !c.silenced && c.ws.readyState === c.ws.OPEN && (!appId || c.appId === appId),
    );
  }

  async function pickConnection(appId: string | undefined, timeoutMs: number) {
    const candidates = await waitFor(() => live(appId).length > 0 && live(appId), {
      timeoutMs,
      label: `a live WebSocket connection${appId ? ` of ${appId}` : ""}`,
    });
    return candidates[randomInt(candidates.length)]!;
  }

  function send(conn: Connection, payload: Buffer, messageId: string, opts: PushEventOptions) {
    const sum = opts.fragments ?? 1;
    if (!Number.isInteger(sum) || sum < 1 || sum > payload.length) {
      throw new Error(`pushEvent: cannot split ${payload.length} bytes into ${sum} fragments`);
    }
    const size = Math.ceil(payload.length / sum);
    const traceId = randomHex(8);
    const sentAt = performance.now();
    for (let seq = 0; seq < sum; seq++) {
      const headers = [
        { key: "type", value: opts.type ?? "event" },
        { key: "message_id", value: messageId },
        { key: "sum", value: String(sum) },
        { key: "seq", value: String(seq) },
        { key: "trace_id", value: traceId },
      ];
      const chunk = payload.subarray(seq * size, (seq + 1) * size);
      const frame = { SeqID: nextSeq, LogID: nextSeq, service: conn.serviceId, method: FRAME_DATA };
      nextSeq += 1;
      conn.ws.send(encodeFrame({ ...frame, headers, payload: chunk }));
    }
    return sentAt;
  }

  /** Watches acks of one message; `first` resolves with the earliest, whichever push it answers. */
  function watchAcks(messageId: string): { first: Promise<WsAck>; stop(): void } {
    let listener: (ack: WsAck) => void = () => {};
    const first = new Promise<WsAck>((resolve) => {
      listener = (ack) => {
        if (ack.messageId === messageId) resolve(ack);
      };
    });
    ackListeners.add(listener);
    return { first, stop: () => ackListeners.delete(listener) };
  }

  function targetApp(envelope: object, opts: PushEventOptions): string | undefined {
    if (opts.appId) return opts.appId;
    const appId = (envelope as { header?: { app_id?: unknown } }).header?.app_id;
    return typeof appId === "string" && apps.has(appId) ? appId : undefined;
  }

  async function pushWithRepush(envelope: object, opts: RepushOptions): Promise<RepushResult> {
    const messageId = opts.messageId ?? randomHex(16);
    const payload = Buffer.from(JSON.stringify(envelope), "utf8");
    const appId = targetApp(envelope, opts);
    const pushes: RepushResult["pushes"] = [];
    const watch = watchAcks(messageId);
    let acked: WsAck | undefined;
    try {
      for (let attempt = 0; attempt <= opts.times && !acked; attempt++) {
        const conn = await pickConnection(appId, opts.connectTimeoutMs ?? 5000);
        pushes.push({ sentAt: send(conn, payload, messageId, opts), connectionId: conn.id });
        acked = await within(watch.first, opts.repushAfterMs);
      }
    } finally {
      watch.stop();
    }
    if (!acked) {
      const waited = `${pushes.length} push(es), ${opts.repushAfterMs} ms after each`;
      throw new Error(`fake-lark-ws: no ack for message ${messageId} after ${waited}`);
    }
    const sentAt = pushes[0]!.sentAt;
    return {
      messageId,
      sentAt,
      ackAt: acked.at,
      ack: ackBody(acked),
      connectionId: acked.connectionId,
      pushes,
    };
  }

  return {
    get connections() {
      return connections.filter((c) => c.open).length;
    },
    get connectCount() {
      return connections.length;
    },
    get pings() {
      return pings;
    },
    get endpointCalls() {
      return endpointCalls;
    },
    acks,
    errors,
    get clientConfig() {
      return { ...clientConfig };
    },
    sockets: () => connections.map(({ ws: _ws, ...info }) => ({ ...info })),
    setClientConfig(config) {
      clientConfig = { ...clientConfig, ...config };
    },
    failEndpoint(n) {
      endpointFailures = n;
    },
    silence() {
      for (const conn of connections) conn.silenced = true;
    },
    dropConnections({ abrupt = false } = {}) {
      for (const conn of connections) {
        if (abrupt) conn.ws.terminate();
        else conn.ws.close(1001, "server going away");
      }
    },
    async waitForConnections(n = 1, timeoutMs = 5000) {
      await waitFor(() => live().length >= n, { timeoutMs, label: `${n} live WS connection(s)` });
    },
    async pushEvent(envelope, opts = {}) {
      const repushAfterMs = opts.ackTimeoutMs ?? 5000;
      const { pushes: _pushes, ...result } = await pushWithRepush(envelope, {
        ...opts,
        repushAfterMs,
        times: 0,
      });
      return result;
    },
    pushWithRepush,
    async close() {
      closed = true;
      target.server.off("upgrade", onUpgrade);
      for (const conn of connections) conn.ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

function decodeAckData(data: string): unknown {
  const text = Buffer.from(data, "base64").toString("utf8");
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function ackBody(ack: WsAck): { code: number; data?: unknown } {
  return ack.data === undefined ? { code: ack.code } : { code: ack.code, data: ack.data };
}

/** `promise`'s value, or undefined when it takes longer than `ms`. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
