import { statSync } from "node:fs";
import { join } from "node:path";
import type { ChatTurn } from "../src/backends/backend.js";
import { assembleHistory } from "../src/conversation/assemble-history.js";
import { createStore } from "../src/store/create-store.js";
import type { Store } from "../src/store/store.js";
import { FILL_BOT_ID, fillExchanges, p2pKey } from "./lib/fill-exchanges.js";
import type { Mode, ModeSettings } from "./lib/modes.js";
import { type BenchResult, environment, target } from "./lib/results.js";
import { ratio, type Summary, summarize } from "./lib/stats.js";

/** The default HISTORY_TOKEN_BUDGET. */
const BUDGET_TOKENS = 4000;
/** Turns per background conversation (the bulk of the store). */
const FILLER_TURNS = 20;

/** What run-turn.ts does before calling the backend. */
function assemblePrompt(store: Store, key: string): Promise<ChatTurn[]> {
  return assembleHistory(store, FILL_BOT_ID, key, 1, BUDGET_TOKENS);
}

/**
 * History at scale: prompt assembly (`loadHistory` + trim, as in run-turn.ts) for conversations
 * of very different lengths in one large SQLite store. Flat means the cost depends on the window
 * loaded, not on how much is stored.
 */
export async function benchHistory(
  dir: string,
  mode: Mode,
  settings: ModeSettings["history"],
): Promise<BenchResult> {
  const path = join(dir, "history.db");
  const targets = settings.conversationTurns.map((turns) => ({
    turns,
    chatId: `oc_hist_${turns}_0`,
  }));
  const targetTotal = settings.conversationTurns.reduce((a, b) => a + b, 0);
  const fillerTotal = Math.max(0, settings.totalExchanges - targetTotal);
  const fillerCount = Math.floor(fillerTotal / FILLER_TURNS);
  const fill = await fillExchanges(path, [
    ...settings.conversationTurns.map((turns) => ({
      prefix: `oc_hist_${turns}_`,
      count: 1,
      turns,
    })),
    { prefix: "oc_hist_filler_", count: fillerCount, turns: FILLER_TURNS },
    { prefix: "oc_hist_rest_", count: 1, turns: fillerTotal % FILLER_TURNS },
  ]);

  const store = await createStore(`sqlite:${path}`);
  try {
    const samples = new Map<number, number[]>(targets.map((t) => [t.turns, []]));
    const kept = new Map<number, number>();
    for (const t of targets) {
      for (let i = 0; i < 10; i++)
        kept.set(t.turns, (await assemblePrompt(store, p2pKey(t.chatId))).length);
    }
    for (let i = 0; i < settings.iterations; i++) {
      // Rotate the order so no size always runs first (or right after another).
      for (let k = 0; k < targets.length; k++) {
        const t = targets[(i + k) % targets.length]!;
        const started = performance.now();
        await assemblePrompt(store, p2pKey(t.chatId));
        samples.get(t.turns)!.push(performance.now() - started);
      }
    }
    const results = targets.map((t) => ({
      storedTurns: t.turns,
      turnsAfterTrim: kept.get(t.turns)!,
      ms: summarize(samples.get(t.turns)!) as Summary,
    }));
    const smallest = results[0]!;
    const middle = results[1] ?? smallest;
    const largest = results.at(-1)!;
    const largestVsSmallest = ratio(largest.ms.p50, smallest.ms.p50);
    const largestVsMiddle = ratio(largest.ms.p50, middle.ms.p50);
    return {
      name: "history",
      title: "History at scale: prompt assembly in a large store",
      environment: environment(mode),
      inputs: {
        storedExchanges: fill.exchanges,
        conversationTurns: settings.conversationTurns,
        fillerConversations: fillerCount,
        fillerTurns: FILLER_TURNS,
        budgetTokens: BUDGET_TOKENS,
        iterations: settings.iterations,
        fillSeconds: fill.seconds,
        databaseMb: Math.round(statSync(path).size / 1024 / 1024),
        store: "SQLite through createStore (Kysely, better-sqlite3), in the bench process",
      },
      results: { conversations: results, largestVsSmallest, largestVsMiddle },
      targets: [
        target(
          `p50 ${largest.storedTurns.toLocaleString("en")} turns ÷ ${smallest.storedTurns} turns`,
          largestVsSmallest,
          "×",
          "≤ 2",
          largestVsSmallest <= 2,
        ),
      ],
      summary: [
        [
          "store",
          `${fill.exchanges.toLocaleString("en")} exchanges, ${Math.round(statSync(path).size / 1024 / 1024)} MB SQLite`,
        ],
        ...results.map((r): [string, string] => [
          `${r.storedTurns.toLocaleString("en")} stored turns (keeps ${r.turnsAfterTrim} turns): p50 · p99`,
          `${r.ms.p50} · ${r.ms.p99} ms`,
        ]),
        [
          `ratio ${largest.storedTurns.toLocaleString("en")} ÷ ${smallest.storedTurns} · ÷ ${middle.storedTurns.toLocaleString("en")} (p50)`,
          `${largestVsSmallest}× · ${largestVsMiddle}×`,
        ],
      ],
    };
  } finally {
    await store.close();
  }
}
