import { spawn } from "node:child_process";

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunCommandOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Killed after this long (default 2 minutes). */
  timeoutMs?: number;
  /** Resolve whatever the exit code (default: reject unless 0, with the command's output). */
  check?: boolean;
  /**
   * Lower priority, for builds and compiles: the suite's other files, some of them timed,
   * keep their share of the two cores.
   */
  nice?: boolean;
}

/** Runs a program to completion, collecting its output. */
export function runCommand(
  program: string,
  args: string[],
  options: RunCommandOptions = {},
): Promise<CommandResult> {
  const argv = options.nice ? ["nice", "-n", "10", program, ...args] : [program, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const timeoutMs = options.timeoutMs ?? 120_000;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if ((code === 0 || options.check === false) && !timedOut) {
        resolve({ code, stdout, stderr });
        return;
      }
      const why = timedOut ? `did not finish within ${timeoutMs} ms` : `exited with ${code}`;
      const output = `${stdout}\n${stderr}`.trim().slice(-6000);
      reject(new Error(`${program} ${args.slice(0, 2).join(" ")} ${why}:\n${output}`));
    });
  });
}
