import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { tempDir as scratchDir } from "../../temp-dir.js";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const CLI = join(ROOT, "dist/src/cli/larkgate.js");

/** The suite's global setup builds; this covers running one file with a custom config. */
export function ensureBuilt(): void {
  if (existsSync(CLI)) return;
  execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], {
    cwd: ROOT,
    stdio: "inherit",
  });
}

/** A fresh working directory, so no `.env` or `./data` of the repository is picked up. */
export function tempDir(): string {
  return scratchDir("cli");
}

export function writeFile(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function baseEnv(env: Record<string, string>): Record<string, string> {
  // Times in `logs` are local; pin the zone so expectations do not depend on the machine.
  return { PATH: process.env.PATH ?? "", TZ: "UTC", ...env };
}

/** Runs `larkgate <args>` to completion, as a user would from a shell. */
export function runCli(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? tempDir(),
    env: baseEnv(options.env ?? {}),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`larkgate ${args.join(" ")} did not finish.\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 20_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface RunningCli {
  child: ChildProcess;
  output(): string;
  /** Resolves once the output (stdout + stderr) contains `text`. */
  waitForOutput(text: string | RegExp, timeoutMs?: number): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts a long-running command (`serve`, `logs --follow`) and lets the test watch its output. */
export function startCli(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): RunningCli {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? tempDir(),
    env: baseEnv(options.env ?? {}),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const matches = (pattern: string | RegExp) =>
    typeof pattern === "string" ? text.includes(pattern) : pattern.test(text);
  return {
    child,
    output: () => text,
    async waitForOutput(pattern, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!matches(pattern)) {
        if (child.exitCode !== null) {
          throw new Error(
            `larkgate exited (${child.exitCode}) before printing ${pattern}:\n${text}`,
          );
        }
        if (Date.now() > deadline) {
          throw new Error(`larkgate did not print ${pattern} within ${timeoutMs} ms:\n${text}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async stop(signal = "SIGTERM") {
      if (child.exitCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}
