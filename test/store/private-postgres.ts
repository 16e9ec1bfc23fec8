import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A PostgreSQL server of a test's own, which it may stop and start (a real restart). */
export interface PrivatePostgres {
  url: string;
  stop(): void;
  start(): void;
  destroy(): void;
}

const BIN_ROOT = "/usr/lib/postgresql";

function binDir(): string | undefined {
  if (!existsSync(BIN_ROOT)) return undefined;
  const version = readdirSync(BIN_ROOT).sort().at(-1);
  const dir = version && join(BIN_ROOT, version, "bin");
  return dir && existsSync(join(dir, "initdb")) ? dir : undefined;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === "object" && address ? address.port : 0;
}

/**
 * Creates and starts a throwaway cluster (Debian's PostgreSQL binaries, run as the
 * `postgres` user, trust auth on 127.0.0.1), or says why it cannot here (not root, no
 * binaries), so the caller can skip.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres | string> {
  const bin = binDir();
  if (!bin) return `no PostgreSQL binaries under ${BIN_ROOT}`;
  if (process.getuid?.() !== 0) return "not root: cannot run PostgreSQL as the postgres user";
  const dir = mkdtempSync(join(tmpdir(), "larkgate-pg-"));
  let uid: number;
  try {
    uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
  } catch {
    return "no postgres user";
  }
  chownSync(dir, uid, uid);
  const data = join(dir, "data");
  const port = await freePort();
  const asPostgres = (args: string[]) =>
    execFileSync("runuser", ["-u", "postgres", "--", ...args], { stdio: "pipe" });
  asPostgres([join(bin, "initdb"), "-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = () =>
    asPostgres([
      join(bin, "pg_ctl"),
      "-D",
      data,
      "-o",
      options,
      "-l",
      join(dir, "log"),
      "-w",
      "start",
    ]);
  const stop = () => asPostgres([join(bin, "pg_ctl"), "-D", data, "-m", "fast", "-w", "stop"]);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    destroy() {
      try {
        stop();
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
