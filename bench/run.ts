import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { benchAnswer } from "./answer.js";
import { benchConsole } from "./console.js";
import { benchHistory } from "./history.js";
import { benchIntake } from "./intake.js";
import { MODES, type Mode } from "./lib/modes.js";
import { renderResults, rewriteSection } from "./lib/readme-section.js";
import { type BenchResult, readResults, writeResult } from "./lib/results.js";
import { benchLimits } from "./limits.js";
import { benchLongConnection } from "./long-connection.js";
import { benchMemory } from "./memory.js";
import { benchPrune } from "./prune.js";
import { benchReplicas } from "./replicas.js";

/** The repository root (this file runs as dist-bench/bench/run.js). */
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const ORDER = [
  "intake",
  "answer",
  "history",
  "prune",
  "memory",
  "long-connection",
  "replicas",
  "limits",
  "console",
] as const;
type Name = (typeof ORDER)[number];

const HELP = `Usage: npm run bench [-- --full | --smoke] [--only intake,answer,history,prune,memory,long-connection,replicas,limits,console]

  (default)  quick mode, about two minutes; writes bench/results/*.json and the README tables
  --full     the headline scale (1M stored exchanges, longer runs)
  --smoke    tiny loads through the same code paths, a few seconds; results go to
             dist-bench/smoke-results/ and the committed ones are left alone
  --only     run some benchmarks; the README is rebuilt from every result file present`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      full: { type: "boolean", default: false },
      smoke: { type: "boolean", default: false },
      only: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (values.full && values.smoke) {
    console.error("bench: choose one of --full and --smoke");
    return 2;
  }
  const mode: Mode = values.full ? "full" : values.smoke ? "smoke" : "quick";
  const selected = values.only ? values.only.split(",").map((name) => name.trim()) : [...ORDER];
  const unknown = selected.filter((name) => !(ORDER as readonly string[]).includes(name));
  if (unknown.length > 0) {
    console.error(
      `bench: unknown benchmark(s) ${unknown.join(", ")}; choose from ${ORDER.join(", ")}`,
    );
    return 2;
  }
  const settings = MODES[mode];
  const outDir =
    mode === "smoke" ? join(ROOT, "dist-bench", "smoke-results") : join(ROOT, "bench", "results");
  const scratch = mkdtempSync(join(tmpdir(), "larkgate-bench-"));
  // Also on Ctrl-C, which exits without running the `finally` below.
  const removeScratch = () => rmSync(scratch, { recursive: true, force: true });
  process.once("exit", removeScratch);
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.once(signal, () => process.exit(130));
  const runners: Record<Name, (dir: string) => Promise<BenchResult>> = {
    intake: (dir) => benchIntake(dir, mode, settings.intake),
    answer: (dir) => benchAnswer(dir, mode, settings.answer),
    history: (dir) => benchHistory(dir, mode, settings.history),
    prune: (dir) => benchPrune(dir, mode, settings.prune),
    memory: (dir) => benchMemory(dir, mode, settings.memory),
    "long-connection": (dir) => benchLongConnection(dir, mode),
    replicas: (dir) => benchReplicas(dir, mode),
    limits: (dir) => benchLimits(dir, mode),
    console: (dir) => benchConsole(dir, mode),
  };

  console.log(`bench: ${mode} mode, ${selected.join(", ")}; scratch ${scratch}`);
  const started = performance.now();
  try {
    for (const name of ORDER) {
      if (!selected.includes(name)) continue;
      const dir = join(scratch, name);
      mkdirSync(dir, { recursive: true });
      const t0 = performance.now();
      console.log(`\n▶ ${name}`);
      const result = await runners[name](dir);
      writeResult(outDir, result);
      for (const [label, value] of result.summary) console.log(`  ${label}: ${value}`);
      for (const t of result.targets) {
        console.log(
          `  target ${t.name}: ${t.value}${t.unit ? ` ${t.unit}` : ""} (goal ${t.goal}) ${t.met ? "met" : "MISSED"}`,
        );
      }
      console.log(`  (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    }
  } finally {
    removeScratch();
  }

  const section = renderResults(readResults(outDir, [...ORDER]));
  if (mode === "smoke") {
    writeFileSync(join(outDir, "README-section.md"), `${section}\n`);
  } else {
    rewriteSection(join(ROOT, "bench", "README.md"), section);
  }
  console.log(
    `\nbench: done in ${((performance.now() - started) / 1000).toFixed(1)} s; results in ${outDir}`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(
      `bench: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exit(1);
  },
);
