import { statSync } from "node:fs";
import { join } from "node:path";
import { chatLogQuery } from "../src/console/chat-log-filter.js";
import { consolePage } from "../src/console/console-layout.js";
import { chatLogPage } from "../src/console/pages/chat-log-page.js";
import { translator } from "../src/i18n/translate.js";
import { createStore } from "../src/store/create-store.js";
import type { Store } from "../src/store/store.js";
import { FILL_BOT_ID, fillExchanges } from "./lib/fill-exchanges.js";
import type { Mode } from "./lib/modes.js";
import { type BenchResult, environment, target } from "./lib/results.js";
import { ratio, type Summary, summarize } from "./lib/stats.js";

/** Stored exchanges per mode; the small store is the baseline, measured in the same run. */
const ROWS: Record<Mode, number> = { smoke: 2_000, quick: 100_000, full: 1_000_000 };
const BASELINE_ROWS = 1_000;
const ITERATIONS: Record<Mode, number> = { smoke: 5, quick: 30, full: 50 };
const TURNS = 20;
/** A word only the oldest exchange holds: the search must find it under every other row. */
const RARE = "zebrafinch";

const t = translator("en");

/** What the server does for GET /console/chat-log: one page of rows, rendered to HTML. */
async function renderChatLog(store: Store, q?: string): Promise<number> {
  const params = q ? { q } : {};
  const rows = await store.searchChatLog(chatLogQuery(params, 51));
  const body = chatLogPage({
    t,
    params,
    bots: [FILL_BOT_ID],
    rows: rows.slice(0, 50),
    more: rows.length > 50,
  });
  return consolePage({ t, lang: "en", title: "Chat log", current: "chat-log", csrf: "x", body })
    .length;
}

async function timed(store: Store, iterations: number, q?: string): Promise<Summary> {
  await renderChatLog(store, q);
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    await renderChatLog(store, q);
    samples.push(performance.now() - started);
  }
  return summarize(samples);
}

async function filledStore(path: string, rows: number) {
  const store = await createStore(`sqlite:${path}`);
  // The oldest row holds the rare word; the fill appends everything else after it.
  await store.recordExchange(
    {
      botId: FILL_BOT_ID,
      conversationKey: "p2p:oc_rare",
      generation: 1,
      chatId: "oc_rare",
      senderOpenId: "ou_rare",
      messageId: "om_rare",
      question: "Which bird is this?",
      answer: `It is a ${RARE}.`,
      model: "bench",
      latencyMs: 100,
      status: "done",
    },
    Date.now() - rows * 2000,
  );
  await store.close();
  const fill = await fillExchanges(path, [
    { prefix: "oc_console_", count: Math.floor(rows / TURNS), turns: TURNS },
  ]);
  return fill;
}

/**
 * Time to first render of the console's chat log (the store query and the HTML, as the route
 * does it) on a large SQLite store, against the same on a small one: the newest page, and a
 * search for a word only the oldest exchange holds (the trigram index at work).
 */
export async function benchConsole(dir: string, mode: Mode): Promise<BenchResult> {
  const iterations = ITERATIONS[mode];
  const smallPath = join(dir, "small.db");
  const largePath = join(dir, "large.db");
  await filledStore(smallPath, BASELINE_ROWS);
  const fill = await filledStore(largePath, ROWS[mode]);
  const small = await createStore(`sqlite:${smallPath}`);
  const large = await createStore(`sqlite:${largePath}`);
  try {
    const htmlBytes = await renderChatLog(large);
    const firstSmall = await timed(small, iterations);
    const firstLarge = await timed(large, iterations);
    const searchSmall = await timed(small, iterations, RARE);
    const searchLarge = await timed(large, iterations, RARE);
    const firstRatio = ratio(firstLarge.p50, firstSmall.p50);
    const searchRatio = ratio(searchLarge.p50, searchSmall.p50);
    const stored = fill.exchanges + 1;
    const mb = Math.round(statSync(largePath).size / 1024 / 1024);
    return {
      name: "console",
      title: "Console: time to first render of the chat log on a large store",
      environment: environment(mode),
      inputs: {
        storedExchanges: stored,
        baselineExchanges: BASELINE_ROWS,
        iterations,
        fillSeconds: fill.seconds,
        databaseMb: mb,
        store: "SQLite through createStore, rendered in the bench process (no HTTP)",
      },
      results: {
        htmlBytes,
        firstSmall,
        firstLarge,
        searchSmall,
        searchLarge,
        firstRatio,
        searchRatio,
      },
      targets: [
        target("newest page, large ÷ small store (p50)", firstRatio, "×", "≤ 2", firstRatio <= 2),
        target(
          "search for a rare word, large ÷ small (p50)",
          searchRatio,
          "×",
          "≤ 5",
          searchRatio <= 5,
        ),
      ],
      summary: [
        [
          "store",
          `${stored.toLocaleString("en")} exchanges, ${mb} MB SQLite (baseline ${BASELINE_ROWS.toLocaleString("en")})`,
        ],
        [
          "newest 50 rows rendered: p50 · p99 (baseline p50)",
          `${firstLarge.p50} · ${firstLarge.p99} ms (${firstSmall.p50} ms)`,
        ],
        [
          `search "${RARE}" (oldest row): p50 · p99 (baseline p50)`,
          `${searchLarge.p50} · ${searchLarge.p99} ms (${searchSmall.p50} ms)`,
        ],
        ["page HTML", `${htmlBytes.toLocaleString("en")} bytes`],
      ],
    };
  } finally {
    await small.close();
    await large.close();
  }
}
