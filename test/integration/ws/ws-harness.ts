import { pino } from "pino";
import type { LarkEnvelope } from "../../../src/lark/lark-envelope.js";
import {
  createWsReceiver,
  type WsReceiver,
  type WsReceiverOptions,
} from "../../../src/lark/ws/ws-receiver.js";
import { createFakeLark, type FakeLark } from "../../kit/fake-lark.js";
import { attachFakeLarkWs, type FakeLarkWs, type WsClientConfig } from "../../kit/fake-lark-ws.js";
import { waitFor } from "../../kit/wait-for.js";

/** Small server timings so reconnect paths finish in about a second. */
export const FAST_CONFIG: WsClientConfig = {
  PingInterval: 1,
  ReconnectCount: -1,
  ReconnectInterval: 1,
  ReconnectNonce: 0,
};

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface WsHarness {
  lark: FakeLark;
  ws: FakeLarkWs;
  receiver: WsReceiver;
  appId: string;
  appSecret: string;
  /** Every envelope `onEnvelope` got, in order. */
  envelopes: LarkEnvelope[];
  /** Replaceable behaviour of `onEnvelope` (default: record and return undefined). */
  handle: (envelope: LarkEnvelope) => Promise<unknown>;
  logs: LogLine[];
  /** `state` of each "lark ws <state>" info line, in order. */
  states(): string[];
  waitForState(state: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  clientConfig?: Partial<WsClientConfig>;
  /** Secret the receiver uses (default: the app's real one). */
  appSecret?: string;
  receiver?: Partial<WsReceiverOptions>;
}

export async function createWsHarness(options: HarnessOptions = {}): Promise<WsHarness> {
  const lark = await createFakeLark();
  const { appId, appSecret } = lark.app;
  const ws = attachFakeLarkWs(lark, {
    apps: [{ appId, appSecret }],
    clientConfig: { ...FAST_CONFIG, ...options.clientConfig },
  });
  const logs: LogLine[] = [];
  const logger = pino({ level: "trace" }, { write: (line: string) => logs.push(JSON.parse(line)) });
  const envelopes: LarkEnvelope[] = [];
  const harness: WsHarness = {
    lark,
    ws,
    appId,
    appSecret,
    envelopes,
    logs,
    handle: async () => undefined,
    receiver: undefined as unknown as WsReceiver,
    states: () =>
      logs.filter((l) => l.level === 30 && /^lark ws \w+$/.test(l.msg)).map((l) => String(l.state)),
    waitForState: async (state, timeoutMs = 5000) => {
      await waitFor(() => harness.receiver.status().state === state, {
        timeoutMs,
        label: `receiver state ${state}`,
        describe: () => JSON.stringify(harness.receiver.status()),
      });
    },
    close: async () => {
      await harness.receiver.close();
      await ws.close();
      await lark.close();
    },
  };
  harness.receiver = createWsReceiver({
    appId,
    appSecret: options.appSecret ?? appSecret,
    domain: lark.url,
    logger,
    onEnvelope: async (envelope) => {
      envelopes.push(envelope);
      return harness.handle(envelope);
    },
    pingTimeoutSec: 0.5,
    restartBackoffMs: { initial: 100, max: 400 },
    ...options.receiver,
  });
  return harness;
}

/** A harness whose receiver is connected. */
export async function connectedHarness(options: HarnessOptions = {}): Promise<WsHarness> {
  const harness = await createWsHarness(options);
  await harness.receiver.start();
  await harness.waitForState("connected");
  return harness;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
