import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type CommandResult, type RunCommandOptions, runCommand } from "../run-command.js";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** The settings the CI machine needs (runc, cgroupfs, its open-files limit). */
const CONTAINERS_CONF = join(ROOT, ".ci/containers.conf");

/** Why podman cannot run here (for the skip message), or undefined. */
export function podmanMissing(): string | undefined {
  const found = spawnSync("podman", ["--version"], { encoding: "utf8" });
  if (found.error || found.status !== 0) {
    return "podman is not installed (apt-get install -y podman runc; .ci/run installs it)";
  }
  return undefined;
}

export interface Podman {
  /** Runs `podman <args>` on the private storage. */
  run(args: string[], options?: Omit<RunCommandOptions, "env">): Promise<CommandResult>;
  /** Containers started with `podman run -d`, removed by `close()` whatever happened. */
  track(container: string): void;
  /** Removes the tracked containers (which unmounts them), then the whole storage. */
  close(): Promise<void>;
}

/**
 * podman on a storage of its own under a temporary folder (images, layers, volumes and its
 * scratch files), so a run leaves nothing in /var/lib/containers and cleans up completely.
 */
export function createPodman(): Podman {
  const dir = mkdtempSync(join(tmpdir(), "larkgate-podman-"));
  const scratch = join(dir, "tmp");
  mkdirSync(scratch);
  const storage = [
    "--root",
    join(dir, "storage"),
    "--runroot",
    join(dir, "run"),
    "--storage-driver",
    "overlay",
  ];
  const env = { ...process.env, CONTAINERS_CONF, TMPDIR: scratch };
  const containers: string[] = [];

  const run: Podman["run"] = (args, options = {}) =>
    runCommand("podman", [...storage, ...args], { ...options, env });

  return {
    run,
    track: (container) => containers.push(container),
    async close() {
      for (const container of containers.splice(0)) {
        await run(["rm", "--force", "--volumes", "--time", "0", container], { check: false });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Where the Dockerfile's base image comes from, or why it cannot come from anywhere. */
export type BaseImage = { archive: string } | { pull: true } | { missing: string };

/**
 * The base image: the archive LARKGATE_CONTAINER_BASE names, else the one .ci/run caches (both
 * made by .ci/container-base.sh, as no registry is reachable in CI), else, with
 * LARKGATE_CONTAINER_PULL=1, the real node:20-bookworm-slim from Docker Hub. Without any of
 * them the image tests skip, so a machine that merely has podman does not try a registry.
 */
export function baseImage(env = process.env): BaseImage {
  const named = env.LARKGATE_CONTAINER_BASE?.trim();
  if (named) {
    return existsSync(named)
      ? { archive: named }
      : {
          missing: `LARKGATE_CONTAINER_BASE=${named} does not exist (.ci/container-base.sh makes it)`,
        };
  }
  const cache =
    env.LARKGATE_CACHE_DIR || join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "larkgate");
  const cached = join(cache, `node-${process.version}-bookworm-slim.tar`);
  if (existsSync(cached)) return { archive: cached };
  if (env.LARKGATE_CONTAINER_PULL === "1") return { pull: true };
  return {
    missing: `no base image: run .ci/container-base.sh ${cached} (or set LARKGATE_CONTAINER_PULL=1 to pull node:20-bookworm-slim)`,
  };
}

/** Loads the base image into the private storage; returns the build's `--pull` policy. */
export async function provideBaseImage(
  podman: Podman,
  base: BaseImage,
): Promise<"never" | "missing"> {
  if ("missing" in base) throw new Error(base.missing);
  if ("pull" in base) return "missing";
  await podman.run(["load", "--quiet", "--input", base.archive], { timeoutMs: 300_000 });
  return "never";
}
