import { join } from "node:path";
import Database from "better-sqlite3";
import { startTcpProxy } from "../test/kit/tcp-proxy.js";
import type { PrivatePostgres } from "../test/store/private-postgres.js";
import { burstWithFault } from "./lib/burst.js";
import { createRig, type Rig } from "./lib/rig.js";
import { type ScenarioResult, seeded, sleep } from "./lib/scenario.js";
import { judgeRun } from "./lib/verdict.js";

interface Settings {
  rounds: number;
  pushesPerRound: number;
  seed: number;
}

function statusSummary(rig: Rig): string {
  return [...rig.pushStatuses]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${status === 0 ? "no answer" : status}: ${count}`)
    .join(", ");
}

/**
 * PostgreSQL out of reach mid-burst: the gateway's connections reset and refused for 3 s by a
 * TCP proxy between it and the server. Pushes meanwhile must be refused (5xx or no answer, so
 * Lark pushes them again), never acknowledged and lost; readiness must say so; jobs resume.
 */
export async function postgresCut(dir: string, settings: Settings): Promise<ScenarioResult> {
  const random = seeded(settings.seed);
  const target = new URL(process.env.LARKGATE_TEST_POSTGRES_URL ?? "postgres://127.0.0.1:5432");
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const rig = await createRig(join(dir, "pg-cut"), "postgres", { databasePort: proxy.port });
  const questions = new Map<string, string>();
  const problems: string[] = [];
  let notReadyDuringCut = 0;
  let readyChecks = 0;
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
          proxy.cut();
          const cutUntil = performance.now() + 3_000;
          while (performance.now() < cutUntil) {
            const ready = await fetch(`${gateway.url}/readyz`).catch(() => undefined);
            readyChecks++;
            if (ready && ready.status === 503) notReadyDuringCut++;
            await sleep(500);
          }
          proxy.restore();
        },
        questions,
        problems,
      );
    }
    await sleep(5_000);
    const { figures, history, problems: found } = await judgeRun(rig, questions);
    problems.push(...found);
    if (notReadyDuringCut === 0)
      problems.push("readiness never reported the database out of reach");
    return {
      name: "PostgreSQL cut off for 3 s mid-burst",
      faults: `${settings.rounds} cuts (connections reset, new ones refused)`,
      injected: settings.rounds,
      messages: questions.size,
      lost: figures.lost,
      duplicated: figures.duplicated,
      figures: {
        "pushes answered": statusSummary(rig),
        "/readyz 503 during cuts": `${notReadyDuringCut} of ${readyChecks}`,
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
    await proxy.close();
  }
}

/**
 * PostgreSQL restarted mid-burst: a server of the suite's own (test/store/private-postgres.ts)
 * stopped with `pg_ctl -m fast` (every connection terminated) and started again 2 s later.
 * The gateway's pool must reconnect by itself; pushes meanwhile refused, never lost.
 */
export async function postgresRestart(
  dir: string,
  settings: Settings,
  server: PrivatePostgres,
): Promise<ScenarioResult> {
  const random = seeded(settings.seed);
  const rig = await createRig(join(dir, "pg-restart"), "postgres", { postgresUrl: server.url });
  const questions = new Map<string, string>();
  const problems: string[] = [];
  let notReady = 0;
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
          server.stop();
          const ready = await fetch(`${gateway.url}/readyz`).catch(() => undefined);
          if (ready?.status === 503) notReady++;
          await sleep(2_000);
          server.start();
        },
        questions,
        problems,
      );
    }
    await sleep(5_000);
    const { figures, history, problems: found } = await judgeRun(rig, questions);
    problems.push(...found);
    if (notReady < settings.rounds)
      problems.push(
        `readiness said ready with the server down (${notReady} of ${settings.rounds})`,
      );
    return {
      name: "PostgreSQL restarted mid-burst (down 2 s)",
      faults: `${settings.rounds} restarts (pg_ctl stop -m fast, start)`,
      injected: settings.rounds,
      messages: questions.size,
      lost: figures.lost,
      duplicated: figures.duplicated,
      figures: {
        "pushes answered": statusSummary(rig),
        "/readyz 503 while down": `${notReady} of ${settings.rounds}`,
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
  }
}

/**
 * The SQLite file locked by another process (an exclusive transaction held 8 s, longer than
 * the gateway's 5 s busy timeout) mid-burst: pushes meanwhile must not be acknowledged unless
 * stored, and everything is answered once the lock is gone.
 */
export async function sqliteLocked(dir: string, settings: Settings): Promise<ScenarioResult> {
  const random = seeded(settings.seed);
  const rig = await createRig(join(dir, "sqlite-locked"), "sqlite");
  const questions = new Map<string, string>();
  const problems: string[] = [];
  try {
    const gateway = await rig.start();
    const file = rig.databaseUrl.replace(/^sqlite:/, "");
    for (let round = 0; round < settings.rounds; round++) {
      await burstWithFault(
        rig,
        () => gateway.url,
        round,
        settings,
        random,
        async () => {
          const other = new Database(file, { timeout: 10_000 });
          try {
            other.exec("BEGIN EXCLUSIVE");
            await sleep(8_000);
            other.exec("COMMIT");
          } finally {
            other.close();
          }
        },
        questions,
        problems,
      );
    }
    await sleep(5_000);
    const { figures, history, problems: found } = await judgeRun(rig, questions);
    problems.push(...found);
    return {
      name: "SQLite file locked by another process for 8 s mid-burst",
      faults: `${settings.rounds} exclusive locks`,
      injected: settings.rounds,
      messages: questions.size,
      lost: figures.lost,
      duplicated: figures.duplicated,
      figures: {
        "pushes answered": statusSummary(rig),
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
  }
}
