import type { ChildServer } from "../../bench/lib/child-server.js";

/** One fault scenario's row in the figures table. */
export interface ScenarioResult {
  name: string;
  /** The faults injected, in words, with their count. */
  faults: string;
  injected: number;
  messages: number;
  lost: number;
  duplicated: number;
  /** Other figures of the scenario (takeover seconds, retries…), shown after the table. */
  figures: Record<string, number | string>;
  /** What went wrong, if anything: each item fails the run. */
  problems: string[];
  /** Log files the scenario's gateways wrote, for the secret scan. */
  logFiles: string[];
  secrets: Record<string, string>;
}

/** A small seeded PRNG (mulberry32), so a run's random kill points can be replayed. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` holds or `timeoutMs` passes; resolves with whether it held. */
export async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

/** SIGKILL: no clean-up, no drain; resolves once the process is gone. */
export async function killHard(gateway: ChildServer): Promise<void> {
  if (gateway.child.exitCode !== null || gateway.child.signalCode !== null) return;
  const gone = new Promise((resolve) => gateway.child.once("exit", resolve));
  gateway.child.kill("SIGKILL");
  await gone;
}

/** The JSON log lines a gateway wrote so far. */
export function logLines(gateway: ChildServer): Array<Record<string, unknown>> {
  const lines: Array<Record<string, unknown>> = [];
  for (const line of gateway.output().split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // a line being written
    }
  }
  return lines;
}
