import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startPrivatePostgres } from "../test/store/private-postgres.js";
import { clockJump } from "./clock-jump.js";
import { diskFull, diskFullUnavailable } from "./disk-full.js";
import { killRestart } from "./kill-restart.js";
import { larkChaos } from "./lark-chaos.js";
import { postgresReachable } from "./lib/rig.js";
import type { ScenarioResult } from "./lib/scenario.js";
import { secretsInLogs } from "./lib/verdict.js";
import { llmFaults } from "./llm-faults.js";
import { overload } from "./load.js";
import { replicaFaults } from "./replica-faults.js";
import { postgresCut, postgresRestart, sqliteLocked } from "./store-faults.js";
import { wsFlap } from "./ws-flap.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

const HELP = `Usage: npm run faults [-- --quick] [--only kill-sqlite,kill-postgres,replicas,pg-cut,pg-restart,sqlite-locked,disk-full,lark,llm,ws-flap,clock-jump,load]

  (default)  the full suite: 20 kill rounds of 200 pushes per store, a minute of Lark faults
  --quick    the same scenarios, smaller (CI runs this)
  --seed N   replay the random kill points of an earlier run
  --keep     keep the gateways' logs and databases (the folder is printed)`;

type Runner = (dir: string) => Promise<ScenarioResult>;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      only: { type: "string" },
      seed: { type: "string" },
      keep: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const quick = values.quick;
  const seed = values.seed ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
  const pg = await postgresReachable();
  const kill = quick
    ? { rounds: 3, pushesPerRound: 60, users: 20, seed }
    : { rounds: 20, pushesPerRound: 200, users: 40, seed };
  const scratch = mkdtempSync(join(tmpdir(), "larkgate-faults-"));
  if (values.keep) console.log(`faults: logs and databases kept in ${scratch}`);
  else process.once("exit", () => rmSync(scratch, { recursive: true, force: true }));
  const noPg = "PostgreSQL not reachable";
  const noDisk = diskFullUnavailable(scratch);
  // A scenario that cannot run here says why instead.
  const scenarios: Record<string, Runner | string> = {
    "kill-sqlite": (dir) => killRestart(dir, "sqlite", kill),
    "kill-postgres": pg ? (dir) => killRestart(dir, "postgres", kill) : noPg,
    replicas: pg ? (dir) => replicaFaults(dir, { rounds: quick ? 3 : 10, seed }) : noPg,
    "pg-cut": pg
      ? (dir) => postgresCut(dir, { rounds: quick ? 1 : 5, pushesPerRound: quick ? 40 : 100, seed })
      : noPg,
    "pg-restart": !pg
      ? noPg
      : process.getuid?.() !== 0
        ? "needs root to run a PostgreSQL server of its own"
        : async (dir) => {
            const server = await startPrivatePostgres();
            if (typeof server === "string") throw new Error(`no PostgreSQL of its own: ${server}`);
            try {
              return await postgresRestart(
                dir,
                { rounds: quick ? 1 : 5, pushesPerRound: quick ? 40 : 100, seed },
                server,
              );
            } finally {
              server.destroy();
            }
          },
    "sqlite-locked": (dir) =>
      sqliteLocked(dir, { rounds: quick ? 1 : 3, pushesPerRound: quick ? 40 : 100, seed }),
    "disk-full":
      noDisk ??
      ((dir) =>
        diskFull(dir, {
          rounds: quick ? 1 : 3,
          pushesPerRound: quick ? 40 : 100,
          fullMs: 6_000,
          seed,
        })),
    lark: (dir) => larkChaos(dir, { seconds: quick ? 15 : 60, rate: 0.3 }),
    llm: (dir) => llmFaults(dir),
    "ws-flap": (dir) => wsFlap(dir, { seconds: quick ? 20 : 60, seed }),
    "clock-jump": (dir) => clockJump(dir, { secondsPerStep: quick ? 5 : 15, seed }),
    load: (dir) => overload(dir, { seconds: quick ? 15 : 60 }),
  };
  const selected = values.only
    ? values.only.split(",").map((s) => s.trim())
    : Object.keys(scenarios);
  const unknown = selected.filter((name) => !(name in scenarios));
  if (unknown.length > 0) {
    console.error(
      `faults: unknown scenario(s) ${unknown.join(", ")}; choose from ${Object.keys(scenarios).join(", ")}`,
    );
    return 2;
  }
  if (!pg && process.env.CI) {
    console.error("faults: PostgreSQL must be reachable in CI (LARKGATE_TEST_POSTGRES_URL)");
    return 1;
  }
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.once(signal, () => process.exit(130));

  const results: ScenarioResult[] = [];
  for (const name of selected) {
    const run = scenarios[name];
    if (typeof run !== "function") {
      console.log(`faults: ${name} skipped (${run})`);
      continue;
    }
    const started = performance.now();
    console.log(`faults: ${name}…`);
    try {
      const result = await run(join(scratch, name));
      result.figures.seconds = Math.round((performance.now() - started) / 100) / 10;
      results.push(result);
      console.log(
        `faults: ${name}: ${result.problems.length === 0 ? "ok" : result.problems.join("; ")}`,
      );
    } catch (error) {
      console.error(`faults: ${name} could not run: ${(error as Error).stack ?? error}`);
      return 1;
    }
  }

  const leaks = results.flatMap((r) => secretsInLogs(r.logFiles, r.secrets));
  const report = render(results, leaks, { quick, seed });
  console.log(`\n${report}`);
  const outDir = quick ? join(ROOT, "dist-bench") : join(ROOT, "faults");
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, quick ? "faults-quick.md" : "RESULTS.md"), `${report}\n`);
  const failed = results.some((r) => r.problems.length > 0 || r.lost > 0 || r.duplicated > 0);
  return failed || leaks.length > 0 ? 1 : 0;
}

function render(
  results: ScenarioResult[],
  leaks: string[],
  run: { quick: boolean; seed: number },
): string {
  const lines = [
    `# Fault suite results (${run.quick ? "quick" : "full"} run, seed ${run.seed}, ${new Date().toISOString().slice(0, 10)})`,
    "",
    "| scenario | faults injected | messages | answers lost | answers duplicated | problems |",
    "| --- | --- | ---: | ---: | ---: | --- |",
    ...results.map(
      (r) =>
        `| ${r.name} | ${r.faults} | ${r.messages} | ${r.lost} | ${r.duplicated} | ${r.problems.length === 0 ? "none" : r.problems.join("; ").replace(/\|/g, "/")} |`,
    ),
    "",
    `Secrets found in logs: ${leaks.length === 0 ? "0" : leaks.join("; ")} (every configured secret, every log line of every gateway above).`,
    "",
    ...results.flatMap((r) => [
      `- **${r.name}**: ${Object.entries(r.figures)
        .map(([k, v]) => `${k} ${v}`)
        .join(" · ")}`,
    ]),
  ];
  return lines.join("\n");
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
