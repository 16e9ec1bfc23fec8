import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createFakeLark } from "../test/kit/fake-lark.js";
import { attachFakeLarkWs } from "../test/kit/fake-lark-ws.js";
import type { FakeLarkWs } from "../test/kit/fake-lark-ws-types.js";
import { messageEvent } from "../test/kit/lark-events.js";
import { startChildServer } from "./lib/child-server.js";
import { startGatewayRig } from "./lib/gateway-rig.js";
import type { Mode } from "./lib/modes.js";
import { type BenchResult, environment, target } from "./lib/results.js";
import { ratio, round, type Summary, summarize } from "./lib/stats.js";

const SDK_CLIENT = fileURLToPath(new URL("./servers/sdk-ws-client.js", import.meta.url));
/** How long the fake LLM holds every answer: a slow model, the case the SDK's ack order hurts. */
const LLM_HOLD_MS = 5000;

interface Settings {
  events: number;
  spacingMs: number;
}

export const LONG_CONNECTION_SETTINGS: Record<Mode, Settings> = {
  smoke: { events: 5, spacingMs: 20 },
  quick: { events: 200, spacingMs: 15 },
  full: { events: 1000, spacingMs: 10 },
};

/** Pushes `events` messages over the long connection, spaced out, and times each ack. */
async function ackTimes(ws: FakeLarkWs, appId: string, settings: Settings): Promise<Summary> {
  await ws.waitForConnections(1, 15_000);
  const pushes: Array<Promise<number>> = [];
  for (let i = 0; i < settings.events; i++) {
    const envelope = messageEvent({
      appId,
      chatId: `oc_ws_${i % 50}`,
      chatType: "p2p",
      senderOpenId: `ou_${i % 50}`,
      text: `slow question ${i}`,
    });
    pushes.push(ws.pushEvent(envelope, { ackTimeoutMs: 10_000 }).then((r) => r.ackAt - r.sentAt));
    await new Promise((resolve) => setTimeout(resolve, settings.spacingMs));
  }
  return summarize(await Promise.all(pushes));
}

/**
 * Long connection: the ack latency of events received over Lark's WebSocket while the LLM is
 * slow (every answer held 5 s), for larkgate and for the official SDK's WSClient with a
 * handler that returns at once (the fastest possible ack), each in its own process.
 */
export async function benchLongConnection(dir: string, mode: Mode): Promise<BenchResult> {
  const settings = LONG_CONNECTION_SETTINGS[mode];

  const baselineLark = await createFakeLark();
  // The WebSocket side must be there before a client asks for its endpoint.
  const baselineWs = attachFakeLarkWs(baselineLark, { apps: [baselineLark.app] });
  let baseline: Summary;
  try {
    const client = await startChildServer({
      script: SDK_CLIENT,
      cwd: dir,
      logPath: join(dir, "sdk-ws.log"),
      readyMsg: "sdk ws client started",
      env: {
        PATH: process.env.PATH ?? "",
        APP_ID: baselineLark.app.appId,
        APP_SECRET: baselineLark.app.appSecret,
        LARK_DOMAIN: baselineLark.url,
      },
    });
    try {
      baseline = await ackTimes(baselineWs, baselineLark.app.appId, settings);
    } finally {
      await client.stop();
    }
  } finally {
    await baselineWs.close();
    await baselineLark.close();
  }

  let ws: FakeLarkWs | undefined;
  const rig = await startGatewayRig({
    dir,
    env: { EVENT_MODE: "websocket" },
    prepare: ({ lark, llm }) => {
      ws = attachFakeLarkWs(lark, { apps: [lark.app] });
      llm.setDefault({ text: "slow answer", delayMs: LLM_HOLD_MS });
    },
  });
  let gateway: Summary;
  try {
    gateway = await ackTimes(ws!, rig.lark.app.appId, settings);
  } finally {
    await ws?.close();
    await rig.close();
  }

  const p99Ratio = ratio(gateway.p99, baseline.p99);
  return {
    name: "long-connection",
    title: "Long connection: ack latency while the LLM is slow",
    environment: environment(mode),
    inputs: { ...settings, llmHoldMs: LLM_HOLD_MS },
    results: { sdkImmediateHandler: baseline, larkgate: gateway, p99Ratio },
    targets: [
      target(
        "larkgate ack p99 over WS with a 5 s LLM",
        round(gateway.p99),
        "ms",
        "< 3000 (Lark re-pushes after 3 s)",
        gateway.p99 < 3000,
      ),
    ],
    summary: [
      [
        "events, spacing",
        `${settings.events}, ${settings.spacingMs} ms apart; LLM holds each answer ${LLM_HOLD_MS} ms`,
      ],
      [
        "ack p50 / p99, ms: SDK WSClient, handler returns at once",
        `${round(baseline.p50)} / ${round(baseline.p99)}`,
      ],
      [
        "ack p50 / p99, ms: larkgate (persists the job, answers later)",
        `${round(gateway.p50)} / ${round(gateway.p99)}`,
      ],
      ["larkgate p99 ÷ SDK baseline p99", `${p99Ratio}×`],
    ],
  };
}
