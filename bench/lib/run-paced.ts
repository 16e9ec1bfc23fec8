import http from "node:http";
import type { LoadResult } from "./run-load.js";
import type { SignedPush } from "./signed-push.js";
import { round, summarize } from "./stats.js";

export interface PacedOptions {
  url: string;
  pushes: SignedPush[];
  /** Requests per second, sent evenly spaced. */
  rate: number;
  /** Keep-alive sockets at most; requests beyond them wait for one (and that wait is counted). */
  connections: number;
}

/**
 * An open-loop load at a constant rate: request i is due at start + i/rate, whatever happened
 * to earlier ones, and its latency runs from when it was due, so a stalled server is charged
 * for the requests it delayed. autocannon's `overallRate` instead sends each second's budget
 * as fast as it can and then idles, which measures saturation in bursts rather than the rate.
 * The first `connections` pushes open the sockets and are not measured.
 */
export function runPaced(options: PacedOptions): Promise<LoadResult> {
  const { pushes, rate, connections } = options;
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const measured = pushes.length - connections;
  if (measured <= 0) throw new Error("runPaced: not enough pushes");
  const latencies: number[] = [];
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let lastAt = 0;

  const send = (push: SignedPush, dueAt: number): Promise<void> =>
    new Promise((resolve) => {
      const request = http.request(
        options.url,
        { method: "POST", agent, headers: push.headers },
        (response) => {
          response.resume();
          response.on("end", () => {
            lastAt = performance.now();
            if (dueAt >= 0) {
              const status = response.statusCode ?? 0;
              if (status >= 200 && status < 300) {
                ok++;
                latencies.push(lastAt - dueAt);
              } else {
                non2xx++;
              }
            }
            resolve();
          });
        },
      );
      request.on("error", () => {
        if (dueAt >= 0) errors++;
        resolve();
      });
      request.end(push.body);
    });

  return (async () => {
    try {
      await Promise.all(pushes.slice(0, connections).map((push) => send(push, -1)));
      const interval = 1000 / rate;
      const started = performance.now();
      const inFlight: Promise<void>[] = [];
      let next = 0;
      while (next < measured) {
        const now = performance.now();
        const due = Math.min(measured, Math.floor((now - started) / interval) + 1);
        for (; next < due; next++) {
          inFlight.push(send(pushes[connections + next]!, started + next * interval));
        }
        const wait = started + next * interval - performance.now();
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait)));
      }
      await Promise.all(inFlight);
      const elapsedMs = lastAt - started;
      return {
        ok,
        non2xx,
        errors,
        timeouts: 0,
        elapsedMs: round(elapsedMs, 1),
        rps: round(ok / (elapsedMs / 1000), 1),
        latency: summarize(latencies),
      };
    } finally {
      agent.destroy();
    }
  })();
}
