import { join } from "node:path";
import { admitQuestion } from "../src/conversation/admit-question.js";
import type { AppRuntime, BotRuntime } from "../src/conversation/bot-runtime.js";
import type { QuestionLimits } from "../src/conversation/question-limits.js";
import { createStore } from "../src/store/create-store.js";
import type { NewExchange } from "../src/store/store.js";
import type { Mode } from "./lib/modes.js";
import { type BenchResult, environment, target } from "./lib/results.js";
import { ratio, type Summary, summarize } from "./lib/stats.js";

/** Answers per variant and round; rounds alternate the variants so drift hits both alike. */
const ANSWERS: Record<Mode, { answers: number; rounds: number }> = {
  smoke: { answers: 20, rounds: 2 },
  quick: { answers: 300, rounds: 6 },
  full: { answers: 1_000, rounds: 10 },
};

/** A bot with every kind of limit that has a counter: 3 buckets and 8 budgets per question. */
const LIMITS: QuestionLimits = {
  perMinute: { user: 1e9, chat: 1e9, bot: 1e9 },
  budgets: (["questions", "tokens"] as const).flatMap((measure) =>
    (["userDay", "userMonth", "chatMonth", "botMonth"] as const).map((period) => ({
      measure,
      period,
      limit: 1e12,
    })),
  ),
};

const quiet = { info() {}, debug() {}, warn() {}, error() {} } as never;

/**
 * The limiter's cost on the answer path: the database work of one answer (its job claimed,
 * its exchange recorded in the transaction that finishes the job), without limits and with a
 * bot that has every limit (admission before the model, settlement with the record). Both in
 * the same SQLite store, in the same run; the model's own time, which dwarfs both, is left out.
 */
export async function benchLimits(dir: string, mode: Mode): Promise<BenchResult> {
  const { answers, rounds } = ANSWERS[mode];
  const store = await createStore(`sqlite:${join(dir, "limits.db")}`);
  const samples = { none: [] as number[], limited: [] as number[] };
  let serial = 0;
  try {
    const app = { prices: {} } as unknown as AppRuntime;
    const bot = (limited: boolean) =>
      ({
        id: "bench",
        language: "en",
        replier: {},
        ...(limited ? { limitsFor: () => LIMITS } : {}),
      }) as unknown as BotRuntime;
    const one = async (limited: boolean) => {
      const n = ++serial;
      const chatId = `oc_${n % 50}`;
      const messageId = `om_${n}`;
      const started = performance.now();
      await store.acceptJob(
        { botId: "bench", kind: "message", conversationKey: chatId, payload: { n } },
        [`message:${messageId}`],
      );
      const job = await store.claimJob(`w/${n}`, 60_000);
      if (!job) throw new Error("bench limits: no job to claim");
      const run = { attempt: 1, hold: { jobId: job.id, owner: job.leaseOwner! } };
      const admitted = await admitQuestion(
        {
          bot: bot(limited),
          app,
          target: { botId: "bench", chatId, messageId, inThread: false, idempotencyKey: messageId },
          run: run as never,
          senderOpenId: `ou_${n % 200}`,
          promptTokens: 500,
          model: "m",
        },
        store,
        quiet,
      );
      if ("refused" in admitted) throw new Error(`bench limits: refused (${admitted.refused})`);
      await store.recordExchange(
        exchange(chatId, messageId, n),
        Date.now(),
        run.hold,
        admitted.settle({
          failed: false,
          promptTokens: 480,
          completionTokens: 200,
          estimatedCompletion: 0,
        }),
      );
      samples[limited ? "limited" : "none"].push(performance.now() - started);
    };
    // Warm-up: the JIT and the statement cache, for both variants.
    for (let i = 0; i < 50; i++) await one(i % 2 === 0);
    samples.none.length = 0;
    samples.limited.length = 0;
    for (let round = 0; round < rounds; round++) {
      const limitedFirst = round % 2 === 1;
      for (const limited of [limitedFirst, !limitedFirst]) {
        for (let i = 0; i < answers; i++) await one(limited);
      }
    }
  } finally {
    await store.close();
  }
  const none = summarize(samples.none) as Summary;
  const limited = summarize(samples.limited) as Summary;
  const p50 = ratio(limited.p50, none.p50);
  return {
    name: "limits",
    title: "Budgets and limits: the limiter's cost on an answer's database work",
    environment: environment(mode),
    inputs: {
      answersPerVariant: answers * rounds,
      rules: "3 token buckets (user, chat, bot) + 8 budgets (questions and tokens × 4 periods)",
      store: "SQLite through createStore, in the bench process; 50 chats, 200 users",
      work: "acceptJob + claimJob + (admit) + recordExchange finishing the job (+ settlement)",
    },
    results: { none, limited, p50Ratio: p50, p99Ratio: ratio(limited.p99, none.p99) },
    targets: [target("p50 with limits ÷ without", p50, "×", "≤ 2", p50 <= 2)],
    summary: [
      ["without limits: p50 · p99", `${none.p50} · ${none.p99} ms`],
      ["with 11 limits: p50 · p99", `${limited.p50} · ${limited.p99} ms`],
      ["ratio (p50)", `${p50}×`],
    ],
  };
}

function exchange(chatId: string, messageId: string, n: number): NewExchange {
  return {
    botId: "bench",
    conversationKey: chatId,
    generation: 1,
    chatId,
    senderOpenId: `ou_${n % 200}`,
    messageId,
    question: "How do I reset my password?",
    answer: "Open Settings, then Security, then Reset password.",
    model: "m",
    promptTokens: 480,
    completionTokens: 200,
    latencyMs: 900,
    status: "done",
  };
}
