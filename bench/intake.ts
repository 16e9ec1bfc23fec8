import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { type ChildServer, startChildServer } from "./lib/child-server.js";
import { startGatewayRig } from "./lib/gateway-rig.js";
import type { Mode, ModeSettings } from "./lib/modes.js";
import { processCpuMs } from "./lib/proc-stats.js";
import { type BenchResult, environment, target } from "./lib/results.js";
import { type LoadResult, pushesNeeded, runLoad } from "./lib/run-load.js";
import { runPaced } from "./lib/run-paced.js";
import { BENCH_ENCRYPT_KEY, messagePushes } from "./lib/signed-push.js";
import { ratio } from "./lib/stats.js";

const SERVERS = fileURLToPath(new URL("./servers/", import.meta.url));
/** The webhook path, the same on all three servers. */
const PATH = "/webhook/event";
const BASELINE_APP_ID = "cli_bench0000000000";

type Settings = ModeSettings["intake"];

interface ServerRun {
  /** Closed loop at the fixed concurrency: the server's maximum. */
  max: LoadResult;
  /** Evenly paced at half of larkgate's maximum. */
  paced: LoadResult;
  /** Server process CPU time per acked push during the closed-loop run (µs). */
  cpuUsPerPush: number;
  /** Pushes acked with 2xx, and how many the server verified and handled (bare: read; SDK: handler ran; larkgate: jobs stored). */
  sent: number;
  handled: number;
}

/**
 * Warms up (so the JIT has compiled the hot paths), calibrates on a second short run, then runs
 * closed-loop with as many requests as the calibrated rate fills `seconds` with. Returns the
 * acked pushes of all three runs and the server's CPU time per push in the measured one.
 */
async function measureMax(
  url: string,
  pid: number,
  appId: string,
  settings: Settings,
): Promise<{ acked: number; max: LoadResult; cpuUsPerPush: number }> {
  const { connections } = settings;
  const short = () =>
    runLoad({
      url,
      connections,
      pushes: messagePushes(pushesNeeded(settings.warmupRequests, connections), appId),
    });
  const warmup = await short();
  const calibration = await short();
  const requests = Math.round(
    Math.min(
      settings.maxRequests,
      Math.max(settings.minRequests, calibration.rps * settings.seconds),
    ),
  );
  const pushes = messagePushes(pushesNeeded(requests, connections), appId);
  const cpuBefore = processCpuMs(pid);
  const max = await runLoad({ url, connections, pushes });
  const cpuUsPerPush = Math.round(((processCpuMs(pid) - cpuBefore) / max.ok) * 1000);
  return { acked: warmup.ok + calibration.ok + max.ok, max, cpuUsPerPush };
}

function measurePaced(
  url: string,
  appId: string,
  rate: number,
  settings: Settings,
): Promise<LoadResult> {
  const requests = Math.max(settings.minRequests, Math.round(rate * settings.seconds));
  return runPaced({
    url,
    rate,
    connections: settings.connections,
    pushes: messagePushes(requests + settings.connections, appId),
  });
}

async function baseline(
  dir: string,
  name: "bare" | "sdk" | "verified" | "durable",
  rate: number,
  settings: Settings,
): Promise<ServerRun> {
  let server: ChildServer | undefined;
  try {
    server = await startChildServer({
      script: join(SERVERS, `${name}-server.js`),
      cwd: dir,
      logPath: join(dir, `${name}.log`),
      readyMsg: "listening",
      env: {
        PATH: process.env.PATH ?? "",
        BENCH_ENCRYPT_KEY,
        BENCH_DB_PATH: join(dir, "durable-baseline.db"),
      },
    });
    const url = `${server.url}${PATH}`;
    const { acked, max, cpuUsPerPush } = await measureMax(
      url,
      server.pid,
      BASELINE_APP_ID,
      settings,
    );
    const paced = await measurePaced(url, BASELINE_APP_ID, rate, settings);
    const stats = (await (await fetch(`${server.url}/stats`)).json()) as { received: number };
    const sent = acked + paced.ok + settings.connections;
    return { max, paced, cpuUsPerPush, sent, handled: stats.received };
  } finally {
    await server?.stop();
  }
}

/**
 * Intake: how fast each server acks unique, encrypted, signed `im.message.receive_v1` pushes
 * at a fixed concurrency, and its ack latency at half of larkgate's maximum rate. larkgate's
 * worker gets one slot and an LLM that never answers, so the measured process spends its time
 * on intake only (verify, decrypt, persist, ack).
 */
export async function benchIntake(
  dir: string,
  mode: Mode,
  settings: Settings,
): Promise<BenchResult> {
  const rig = await startGatewayRig({
    dir,
    env: { WORKER_CONCURRENCY: "1" },
    prepare: ({ llm }) => llm.setDefault({ hang: true }),
  });
  let larkgate: ServerRun;
  let bursty: LoadResult;
  let rate: number;
  try {
    const appId = rig.lark.app.appId;
    const { connections } = settings;
    const { acked, max, cpuUsPerPush } = await measureMax(
      rig.webhookUrl,
      rig.gateway.pid,
      appId,
      settings,
    );
    rate = Math.max(1, Math.floor(max.rps / 2));
    const paced = await measurePaced(rig.webhookUrl, appId, rate, settings);
    bursty = await runLoad({
      url: rig.webhookUrl,
      connections,
      overallRate: rate,
      pushes: messagePushes(pushesNeeded(paced.ok, connections), appId),
    });
    await rig.close();
    const sent = acked + paced.ok + connections + bursty.ok;
    larkgate = { max, paced, cpuUsPerPush, sent, handled: countJobs(rig.databasePath) };
  } finally {
    await rig.close();
  }
  // The same gateway without metrics (METRICS=off), for what counting every push costs.
  const quietDir = join(dir, "no-metrics");
  mkdirSync(quietDir, { recursive: true });
  const quiet = await startGatewayRig({
    dir: quietDir,
    env: { WORKER_CONCURRENCY: "1", METRICS: "off" },
    prepare: ({ llm }) => llm.setDefault({ hang: true }),
  });
  let withoutMetrics: { rps: number; cpuUsPerPush: number };
  try {
    const run = await measureMax(
      quiet.webhookUrl,
      quiet.gateway.pid,
      quiet.lark.app.appId,
      settings,
    );
    withoutMetrics = { rps: run.max.rps, cpuUsPerPush: run.cpuUsPerPush };
  } finally {
    await quiet.close();
  }
  const bare = await baseline(dir, "bare", rate, settings);
  const sdk = await baseline(dir, "sdk", rate, settings);
  const verified = await baseline(dir, "verified", rate, settings);
  const durable = await baseline(dir, "durable", rate, settings);

  const ratios = {
    throughputVsBare: ratio(larkgate.max.rps, bare.max.rps),
    throughputVsSdk: ratio(larkgate.max.rps, sdk.max.rps),
    throughputVsDurable: ratio(larkgate.max.rps, durable.max.rps),
    sdkThroughputVsBare: ratio(sdk.max.rps, bare.max.rps),
    verifiedThroughputVsBare: ratio(verified.max.rps, bare.max.rps),
    durableThroughputVsBare: ratio(durable.max.rps, bare.max.rps),
    cpuPerPushVsDurable: ratio(larkgate.cpuUsPerPush, durable.cpuUsPerPush),
    cpuPerPushVsBare: ratio(larkgate.cpuUsPerPush, bare.cpuUsPerPush),
    cpuPerPushVsSdk: ratio(larkgate.cpuUsPerPush, sdk.cpuUsPerPush),
    maxP50VsBare: ratio(larkgate.max.latency.p50, bare.max.latency.p50),
    maxP99VsBare: ratio(larkgate.max.latency.p99, bare.max.latency.p99),
    maxP99VsSdk: ratio(larkgate.max.latency.p99, sdk.max.latency.p99),
    pacedP50VsBare: ratio(larkgate.paced.latency.p50, bare.paced.latency.p50),
    pacedP99VsBare: ratio(larkgate.paced.latency.p99, bare.paced.latency.p99),
    pacedP99VsSdk: ratio(larkgate.paced.latency.p99, sdk.paced.latency.p99),
    throughputWithMetricsVsWithout: ratio(larkgate.max.rps, withoutMetrics.rps),
    cpuPerPushWithMetricsVsWithout: ratio(larkgate.cpuUsPerPush, withoutMetrics.cpuUsPerPush),
  };
  const lost = (run: ServerRun) => run.sent - run.handled;
  const ms = (r: LoadResult) => `${r.latency.p50} / ${r.latency.p99}`;
  return {
    name: "intake",
    title: "Intake: acks of encrypted, signed message pushes",
    environment: environment(mode),
    inputs: {
      connections: settings.connections,
      warmupRequests: settings.warmupRequests,
      targetSeconds: settings.seconds,
      pacedRate: rate,
      larkgate:
        "own process, SQLite (WAL), LOG_LEVEL=info to a file, WORKER_CONCURRENCY=1, LLM never answers",
      baselines:
        "bare node:http (reads body, 200), SDK EventDispatcher+adaptDefault, verified (node:http, signature, decryption, both JSON parses, nothing stored), and a durable floor (the same plus one SQLite row per push with group commit), each in its own process",
    },
    results: {
      servers: { bare, sdk, verified, durable, larkgate },
      larkgateWithoutMetrics: withoutMetrics,
      larkgateAutocannonOverallRate: {
        overallRate: rate,
        pacing: "each second's budget sent at full speed, then idle",
        ...bursty,
      },
      ratios,
      lostPushes: {
        bare: lost(bare),
        sdk: lost(sdk),
        verified: lost(verified),
        durable: lost(durable),
        larkgate: lost(larkgate),
      },
    },
    targets: [
      target(
        "throughput vs bare node:http",
        ratios.throughputVsBare,
        "×",
        "≥ 0.5",
        ratios.throughputVsBare >= 0.5,
      ),
      target(
        `p99 ack at half max rate (${rate}/s)`,
        larkgate.paced.latency.p99,
        "ms",
        "< 20",
        larkgate.paced.latency.p99 < 20,
      ),
      target("pushes acked but not stored", lost(larkgate), "", "= 0", lost(larkgate) === 0),
      // The budget for metrics: intake throughput drops no more than 3 %.
      target(
        "throughput with metrics ÷ without (METRICS=off)",
        ratios.throughputWithMetricsVsWithout,
        "×",
        "≥ 0.97",
        ratios.throughputWithMetricsVsWithout >= 0.97,
      ),
      // Throughput moves with whatever else the machine runs; CPU per push does not.
      target(
        "CPU per push with metrics ÷ without",
        ratios.cpuPerPushWithMetricsVsWithout,
        "×",
        "≤ 1.03",
        ratios.cpuPerPushWithMetricsVsWithout <= 1.03,
      ),
    ],
    summary: [
      [
        "larkgate with metrics ÷ without: throughput · CPU per push",
        `${ratios.throughputWithMetricsVsWithout}× · ${ratios.cpuPerPushWithMetricsVsWithout}× (${withoutMetrics.rps}/s, ${withoutMetrics.cpuUsPerPush} µs without)`,
      ],
      [
        "max requests/s: bare · SDK · verified · durable floor · larkgate",
        `${bare.max.rps} · ${sdk.max.rps} · ${verified.max.rps} · ${durable.max.rps} · ${larkgate.max.rps}`,
      ],
      [
        "larkgate throughput ÷ bare · ÷ SDK · ÷ durable floor",
        `${ratios.throughputVsBare}× · ${ratios.throughputVsSdk}× · ${ratios.throughputVsDurable}×`,
      ],
      [
        "verified (no storage) · durable floor, throughput ÷ bare",
        `${ratios.verifiedThroughputVsBare}× · ${ratios.durableThroughputVsBare}×`,
      ],
      [
        "server CPU per push: bare · SDK · verified · durable floor · larkgate",
        `${bare.cpuUsPerPush} · ${sdk.cpuUsPerPush} · ${verified.cpuUsPerPush} · ${durable.cpuUsPerPush} · ${larkgate.cpuUsPerPush} µs`,
      ],
      [
        "larkgate CPU per push ÷ bare · ÷ SDK · ÷ durable floor",
        `${ratios.cpuPerPushVsBare}× · ${ratios.cpuPerPushVsSdk}× · ${ratios.cpuPerPushVsDurable}×`,
      ],
      [
        "ack p50 / p99 at max, ms: bare · SDK · verified · durable floor · larkgate",
        `${ms(bare.max)} · ${ms(sdk.max)} · ${ms(verified.max)} · ${ms(durable.max)} · ${ms(larkgate.max)}`,
      ],
      [
        `ack p50 / p99 at ${rate}/s evenly paced, ms: bare · SDK · verified · durable floor · larkgate`,
        `${ms(bare.paced)} · ${ms(sdk.paced)} · ${ms(verified.paced)} · ${ms(durable.paced)} · ${ms(larkgate.paced)}`,
      ],
      ["larkgate paced p99 ÷ bare · ÷ SDK", `${ratios.pacedP99VsBare}× · ${ratios.pacedP99VsSdk}×`],
      [
        "pushes acked but not handled (bare read · SDK handler ran · verified · floor row stored · larkgate job stored)",
        `${lost(bare)} · ${lost(sdk)} · ${lost(verified)} · ${lost(durable)} · ${lost(larkgate)}`,
      ],
      [`larkgate at ${rate}/s with autocannon overallRate (per-second bursts)`, `${ms(bursty)} ms`],
    ],
  };
}

function countJobs(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare("select count(*) as n from jobs").get() as { n: number }).n;
  } finally {
    db.close();
  }
}
