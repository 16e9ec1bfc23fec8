import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { tempDir } from "../temp-dir.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface GatewayProcess {
  url: string;
  child: ChildProcess;
  /** Every JSON log line so far. */
  logs: LogLine[];
  /** Raw stdout+stderr text, for "never logged" assertions. */
  output(): string;
  waitForLog(predicate: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** SIGTERM, then wait for exit. */
  stop(): Promise<number | null>;
  /** SIGKILL: a crash, no clean-up. */
  kill(): Promise<void>;
}

/** A fresh SQLite file for one test's gateway(s). */
export function tempDatabaseUrl(): string {
  return `sqlite:${join(tempDir("e2e"), "larkgate.db")}`;
}

export interface StartGatewayOptions {
  timeoutMs?: number;
  /**
   * The working directory, where `.env` and Feishu-OpenAI's `config.yaml` are read; the
   * repository root by default.
   */
  cwd?: string;
  /**
   * What to run instead of `node dist/src/main.js` (the packed-tarball test starts the
   * installed `node_modules/.bin/larkgate serve`).
   */
  command?: [string, ...string[]];
}

/**
 * Starts the real gateway as `npm start` would (node dist/src/main.js, built by the global
 * setup), on a free port, and waits until it listens.
 */
export async function startGatewayProcess(
  env: Record<string, string>,
  options: StartGatewayOptions = {},
): Promise<GatewayProcess> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const [program, ...args] = options.command ?? [process.execPath, join(ROOT, "dist/src/main.js")];
  const child = spawn(program, args, {
    cwd: options.cwd ?? ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      HTTP_HOST: "127.0.0.1",
      HTTP_PORT: "0",
      LOG_LEVEL: "debug",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: LogLine[] = [];
  let text = "";
  let buffered = "";
  const waiters = new Set<() => void>();
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    text += chunk;
    buffered += chunk;
    let newline = buffered.indexOf("\n");
    while (newline >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      try {
        logs.push(JSON.parse(line) as LogLine);
      } catch {
        // not a log line
      }
      newline = buffered.indexOf("\n");
    }
    for (const wake of waiters) wake();
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    text += chunk;
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );

  function waitForLog(predicate: (line: LogLine) => boolean, wait = 10_000): Promise<LogLine> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = logs.find(predicate);
        if (found) {
          cleanup();
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(
            `gateway did not log the expected line within ${wait} ms.\nOutput:\n${text.slice(-4000)}`,
          ),
        );
      }, wait);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });
  }

  const ready = await Promise.race([
    waitForLog((line) => line.msg === "larkgate listening", timeoutMs),
    exited.then((code) => {
      throw new Error(`gateway exited with ${code} before listening:\n${text}`);
    }),
  ]);

  return {
    url: String(ready.url),
    child,
    logs,
    output: () => text,
    waitForLog,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      return exited;
    },
    async kill() {
      if (child.exitCode !== null) return;
      child.kill("SIGKILL");
      await exited;
    },
  };
}
