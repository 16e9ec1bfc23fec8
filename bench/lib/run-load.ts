import autocannon from "autocannon";
import type { SignedPush } from "./signed-push.js";
import { round, type Summary, summarize } from "./stats.js";

export interface LoadOptions {
  /** Full URL of the webhook, e.g. `http://127.0.0.1:PORT/webhook/event`. */
  url: string;
  /** Each request sends the next one of these; none is sent twice. */
  pushes: SignedPush[];
  connections: number;
  /** Rate-limited run: requests per second across all connections. */
  overallRate?: number;
}

export interface LoadResult {
  /** Responses with a 2xx status. */
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** From the first request to the last response. */
  elapsedMs: number;
  /** 2xx responses per second. */
  rps: number;
  /** Ack latency of 2xx responses, measured per request in the load generator (ms). */
  latency: Summary;
}

/**
 * Slack left for requests autocannon builds but never sends: each connection builds one ahead
 * at start and one after its last response.
 */
function slack(connections: number): number {
  return 3 * connections + 16;
}

/** How many pushes to generate so that `requests` of them are sent. */
export function pushesNeeded(requests: number, connections: number): number {
  return requests + slack(connections);
}

/**
 * Sends `pushes.length` minus the slack as POSTs over keep-alive connections with autocannon and times
 * each one. Latencies come from autocannon's per-response event (sub-millisecond), not its
 * whole-millisecond histogram.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { pushes, connections } = options;
  const amount = pushes.length - slack(connections);
  if (amount < connections) {
    throw new Error(`runLoad: ${pushes.length} pushes are too few for ${connections} connections`);
  }
  const url = new URL(options.url);
  let next = 0;
  const latencies = new Float64Array(amount + connections);
  let recorded = 0;
  let lastAt = 0;

  const started = performance.now();
  const instance = autocannon({
    url: url.origin,
    connections,
    pipelining: 1,
    timeout: 10,
    amount,
    sampleInt: 100,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    requests: [
      {
        method: "POST",
        path: url.pathname,
        setupRequest: (request) => {
          const push = pushes[next++];
          if (!push) throw new Error("runLoad: ran out of pre-generated pushes");
          return { ...request, headers: push.headers, body: push.body };
        },
      },
    ],
  });
  instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
    lastAt = performance.now();
    if (status >= 200 && status < 300 && recorded < latencies.length) latencies[recorded++] = ms;
  });
  const result = await instance;
  const elapsedMs = (lastAt || performance.now()) - started;
  const ok = result["2xx"];
  return {
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    elapsedMs: round(elapsedMs, 1),
    rps: round(ok / (elapsedMs / 1000), 1),
    latency: summarize(latencies.subarray(0, recorded)),
  };
}
