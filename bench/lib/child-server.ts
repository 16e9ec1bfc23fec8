import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";

export interface ChildServer {
  /** `http://127.0.0.1:PORT` the child announced. */
  url: string;
  pid: number;
  child: ChildProcess;
  /** Everything the child wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code (null when killed). */
  stop(graceMs?: number): Promise<number | null>;
}

export interface ChildServerOptions {
  /** A compiled script to run with this Node binary. */
  script: string;
  env: Record<string, string>;
  /** Working directory (the gateway reads `.env` from there, so benches use a fresh one). */
  cwd: string;
  /** stdout and stderr go to this file, never to a pipe: a load run must not stall the child's logger. */
  logPath: string;
  /** The `msg` of the JSON log line that carries `url` once the child listens. */
  readyMsg: string;
  timeoutMs?: number;
  /** Node flags before the script, e.g. `--cpu-prof` when looking into a result. */
  nodeArgs?: string[];
}

const live = new Set<ChildProcess>();
let hooked = false;

/** Whatever happens to the runner (error, Ctrl-C), no child outlives it. */
function killAllOnExit(): void {
  if (hooked) return;
  hooked = true;
  process.on("exit", () => {
    for (const child of live) child.kill("SIGKILL");
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      for (const child of live) child.kill("SIGKILL");
      process.exit(130);
    });
  }
}

/**
 * Starts a server in its own Node process, so the load generator never shares its event loop,
 * and waits for the JSON log line announcing its URL.
 */
export async function startChildServer(options: ChildServerOptions): Promise<ChildServer> {
  killAllOnExit();
  const fd = openSync(options.logPath, "a");
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.script], {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  live.add(child);
  let failure: string | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code, signal) => {
      live.delete(child);
      failure = `exited (${code ?? signal})`;
      resolve(code);
    });
    // The process could not be started at all: there will be no "exit".
    child.once("error", (error) => {
      live.delete(child);
      failure = `could not start: ${error.message}`;
      resolve(null);
    });
  });
  const output = () => (existsSync(options.logPath) ? readFileSync(options.logPath, "utf8") : "");

  const stop = async (graceMs = 15_000): Promise<number | null> => {
    if (failure) return child.exitCode;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  };

  try {
    const url = await waitForUrl(
      () => failure,
      output,
      options.readyMsg,
      options.timeoutMs ?? 15_000,
    );
    return { url, pid: child.pid!, child, output, stop };
  } catch (error) {
    await stop(1000);
    throw error;
  }
}

async function waitForUrl(
  failure: () => string | undefined,
  output: () => string,
  readyMsg: string,
  timeoutMs: number,
): Promise<string> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    for (const line of output().split("\n")) {
      if (!line.startsWith("{")) continue;
      try {
        const parsed = JSON.parse(line) as { msg?: unknown; url?: unknown };
        if (parsed.msg === readyMsg && typeof parsed.url === "string") return parsed.url;
      } catch {
        // a partial line; read again
      }
    }
    const failed = failure();
    if (failed) throw new Error(`child ${failed} before listening:\n${tail(output())}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`child did not log "${readyMsg}" within ${timeoutMs} ms:\n${tail(output())}`);
}

function tail(text: string): string {
  return text.slice(-3000);
}
