import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import type { Mode } from "./modes.js";

export interface Environment {
  node: string;
  platform: string;
  arch: string;
  cpuCount: number;
  cpuModel: string;
  totalMemoryMb: number;
  mode: Mode;
  date: string;
}

/** A figure the README states a goal for. */
export interface Target {
  name: string;
  value: number;
  unit: string;
  /** Human-readable goal, e.g. "≥ 0.5". */
  goal: string;
  met: boolean;
}

export interface BenchResult {
  name: string;
  title: string;
  environment: Environment;
  inputs: Record<string, unknown>;
  results: Record<string, unknown>;
  targets: Target[];
  /** Markdown rows (label → value) for the README table. */
  summary: Array<[string, string]>;
}

export function environment(mode: Mode): Environment {
  const cpuList = cpus();
  return {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    cpuCount: cpuList.length,
    cpuModel: cpuList[0]?.model.trim() ?? "unknown",
    totalMemoryMb: Math.round(totalmem() / 1024 / 1024),
    mode,
    date: new Date().toISOString(),
  };
}

export function target(
  name: string,
  value: number,
  unit: string,
  goal: string,
  met: boolean,
): Target {
  return { name, value, unit, goal, met: Number.isFinite(value) && met };
}

export function writeResult(dir: string, result: BenchResult): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${result.name}.json`);
  writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`);
  return path;
}

/** Every result in `dir`, in the order the runner runs them. */
export function readResults(dir: string, order: string[]): BenchResult[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((file) => file.endsWith(".json"));
  } catch {
    return [];
  }
  const results = files.map(
    (file) => JSON.parse(readFileSync(join(dir, file), "utf8")) as BenchResult,
  );
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  return results.sort((a, b) => rank(a.name) - rank(b.name));
}
