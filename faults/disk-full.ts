import { execFileSync } from "node:child_process";
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { burstWithFault } from "./lib/burst.js";
import { createRig } from "./lib/rig.js";
import { type ScenarioResult, seeded, sleep } from "./lib/scenario.js";
import { judgeRun } from "./lib/verdict.js";

interface Settings {
  rounds: number;
  pushesPerRound: number;
  /** How long the disk stays full each round. */
  fullMs: number;
  seed: number;
}

/** The small disk the SQLite file lives on: a tmpfs, which needs root (CAP_SYS_ADMIN). */
const DISK_MB = 16;

/**
 * Why the disk-full scenario cannot run here, or undefined when it can: mounting a tmpfs of a
 * known size is the only way to fill a disk without filling the machine's.
 */
export function diskFullUnavailable(dir: string): string | undefined {
  if (process.platform !== "linux") return "needs Linux (a tmpfs mount)";
  if (process.getuid?.() !== 0) return "needs root to mount a small tmpfs";
  const probe = join(dir, "probe");
  try {
    mkdirSync(probe, { recursive: true });
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", probe], { stdio: "pipe" });
    execFileSync("umount", [probe], { stdio: "pipe" });
    return undefined;
  } catch (error) {
    return `cannot mount a tmpfs here: ${(error as Error).message.split("\n")[0]}`;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

/** Writes zeros into `file` until the disk refuses: afterwards not one more page fits. */
function fillDisk(file: string): number {
  const chunk = Buffer.alloc(64 * 1024);
  const fd = openSync(file, "w");
  let written = 0;
  try {
    for (let size = chunk.length; size >= 512; ) {
      try {
        written += writeSync(fd, chunk, 0, size);
      } catch {
        size = Math.floor(size / 2);
      }
    }
  } finally {
    closeSync(fd);
  }
  return written;
}

/**
 * The SQLite disk full mid-burst: the database lives on a 16 MB tmpfs, which a filler file
 * fills to the last byte while pushes arrive and answers are written, for `fullMs`. Pushes
 * meanwhile must be refused (Lark pushes them again), never acknowledged and lost; no answer
 * may show that the store could not record; once space is freed, everything is answered once.
 */
export async function diskFull(dir: string, settings: Settings): Promise<ScenarioResult> {
  const random = seeded(settings.seed);
  const disk = join(dir, "disk");
  mkdirSync(disk, { recursive: true });
  execFileSync("mount", ["-t", "tmpfs", "-o", `size=${DISK_MB}m`, "tmpfs", disk]);
  const filler = join(disk, "filler");
  const rig = await createRig(join(dir, "rig"), "sqlite", { databaseDir: disk });
  const questions = new Map<string, string>();
  const problems: string[] = [];
  let refusedWhileFull = 0;
  let acceptedWhileFull = 0;
  let full = false;
  try {
    const gateway = await rig.start();
    for (let round = 0; round < settings.rounds; round++) {
      await burstWithFault(
        rig,
        () => gateway.url,
        round,
        settings,
        random,
        async () => {
          fillDisk(filler);
          full = true;
          await sleep(settings.fullMs);
          full = false;
          rmSync(filler, { force: true });
        },
        questions,
        problems,
        // Acknowledged while the disk was full from the push's first try to its ack.
        async (send) => {
          const wasFull = full;
          await send();
          if (wasFull && full) acceptedWhileFull++;
        },
        "disk",
      );
    }
    for (const [status, count] of rig.pushStatuses) if (status >= 500) refusedWhileFull += count;
    await sleep(3_000);
    const { figures, history, problems: found } = await judgeRun(rig, questions);
    problems.push(...found);
    if (gateway.child.exitCode !== null || gateway.child.signalCode !== null)
      problems.push(`the gateway exited (${gateway.child.exitCode ?? gateway.child.signalCode})`);
    return {
      name: `SQLite disk full for ${settings.fullMs / 1000} s mid-burst`,
      faults: `${settings.rounds} times the ${DISK_MB} MB disk filled to the last byte`,
      injected: settings.rounds,
      messages: questions.size,
      lost: figures.lost,
      duplicated: figures.duplicated,
      figures: {
        "pushes refused (5xx)": refusedWhileFull,
        "pushes acknowledged while full": acceptedWhileFull,
        "answered with the error notice instead": figures.failed,
        "cards marked interrupted": figures.interrupted,
        "history problems": history.length,
      },
      problems,
      logFiles: rig.logFiles,
      secrets: { ...rig.secrets },
    };
  } finally {
    await rig.close();
    try {
      execFileSync("umount", [disk], { stdio: "pipe" });
    } catch {
      // already gone
    }
  }
}
