import { join } from "node:path";
import Database from "better-sqlite3";
import { createStore } from "../src/store/create-store.js";
import type { Store } from "../src/store/store.js";
import type { Mode, ModeSettings } from "./lib/modes.js";
import { type BenchResult, environment, target } from "./lib/results.js";
import { ratio, round, type Summary, summarize } from "./lib/stats.js";

const DAY = 24 * 60 * 60 * 1000;
/** One ack's commit every this many ms while pruning: a busy bot's intake. */
const COMMIT_EVERY_MS = 2;

/** `rows` expired dedup keys and old exchanges, written directly (fast) into a migrated file. */
async function fill(path: string, rows: number): Promise<void> {
  const store = await createStore(`sqlite:${path}`);
  await store.close();
  const db = new Database(path);
  const old = Date.now() - 400 * DAY;
  const key = db.prepare("insert into dedup_keys (key, created_at) values (?, ?)");
  const exchange = db.prepare(
    `insert into exchanges (bot_id, conversation_key, generation, chat_id, sender_open_id,
       message_id, question, answer, model, latency_ms, status, in_history, created_at)
     values ('default', ?, 1, ?, 'ou_x', ?, 'an old question', 'an old answer', 'm', 900,
       'done', 1, ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < rows; i++) {
      key.run(`event:old_${i}`, old + i);
      exchange.run(`p2p:oc_${i % 500}`, `oc_${i % 500}`, `om_old_${i}`, old + i);
    }
  })();
  db.close();
}

/**
 * Ack commits (`acceptJob`, what the 3-second ack waits for) paced every COMMIT_EVERY_MS while
 * `work` runs; their latencies from when each was due, so a blocked event loop is charged.
 */
async function commitsDuring(store: Store, work: () => Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  const inFlight: Promise<void>[] = [];
  let running = true;
  // Pushes do not wait for each other: each one's commit starts when it is due, and those
  // waiting together go into one transaction, as at the webhook.
  const load = (async () => {
    const start = performance.now();
    for (let n = 0; running; n++) {
      const due = start + n * COMMIT_EVERY_MS;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const commit = store.acceptJob(
        { botId: "default", kind: "message", conversationKey: `p2p:oc_new_${n}`, payload: {} },
        [`event:new_${n}_${Math.random()}`],
      );
      inFlight.push(
        commit.then(() => {
          // Timers may fire a little early; a commit is never faster than on time.
          latencies.push(Math.max(0, performance.now() - due));
        }),
      );
    }
  })();
  await work();
  running = false;
  await load;
  await Promise.all(inFlight);
  return latencies;
}

/**
 * Pruning a large backlog (the first prune after retention is turned on) beside intake: ack
 * commits while nothing is pruned, while the gateway's batched prune runs, and while the same
 * rows go in one statement each, as before batching.
 */
export async function benchPrune(
  dir: string,
  mode: Mode,
  settings: ModeSettings["prune"],
): Promise<BenchResult> {
  const runs: Record<string, { commits: Summary; maxMs: number; pruneMs: number }> = {};
  for (const [name, batch] of [
    ["batched", undefined],
    ["one statement", Number.MAX_SAFE_INTEGER],
  ] as const) {
    const path = join(dir, `${name.replace(" ", "-")}.db`);
    await fill(path, settings.rows);
    const store = await createStore(`sqlite:${path}`);
    try {
      const idle = await commitsDuring(store, () => new Promise((r) => setTimeout(r, 500)));
      runs.idle ??= { commits: summarize(idle), maxMs: round(Math.max(...idle)), pruneMs: 0 };
      let pruneMs = 0;
      const during = await commitsDuring(store, async () => {
        const started = performance.now();
        const cutoff = Date.now() - 30 * DAY;
        await store.prune(cutoff, batch ? { batch } : {});
        await store.pruneChatLog(cutoff, batch ? { batch } : {});
        pruneMs = round(performance.now() - started);
      });
      runs[name] = { commits: summarize(during), maxMs: round(Math.max(...during)), pruneMs };
    } finally {
      await store.close();
    }
  }
  const batched = runs.batched!;
  const single = runs["one statement"]!;
  const worstVsSingle = ratio(batched.maxMs, single.maxMs);
  return {
    name: "prune",
    title: "Pruning a large backlog beside intake",
    environment: environment(mode),
    inputs: {
      rows: settings.rows,
      commitEveryMs: COMMIT_EVERY_MS,
      store: "SQLite through createStore, in the bench process",
    },
    results: runs,
    targets: [
      // Lark waits 3 s for an ack; a prune must cost a push a small part of that.
      target(
        "worst ack commit while pruning (batched)",
        batched.maxMs,
        "ms",
        "< 250",
        batched.maxMs < 250,
      ),
      target(
        "worst ack commit, batched ÷ one statement",
        worstVsSingle,
        "×",
        "≤ 0.25",
        worstVsSingle <= 0.25,
      ),
    ],
    summary: [
      ["rows pruned (dedup keys + exchanges)", `${(2 * settings.rows).toLocaleString("en")}`],
      ...Object.entries(runs).map(([name, run]): [string, string] => [
        `${name}: ack commit p50 · p99 · max${name === "idle" ? "" : " · prune took"}`,
        `${run.commits.p50} · ${run.commits.p99} · ${run.maxMs} ms${name === "idle" ? "" : ` · ${run.pruneMs} ms`}`,
      ]),
      ["batched vs one statement, worst commit", `${batched.maxMs} vs ${single.maxMs} ms`],
    ],
  };
}
