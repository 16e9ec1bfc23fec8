import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { createFakeLark } from "../test/kit/fake-lark.js";
import { createFakeLlm } from "../test/kit/fake-llm.js";
import { messageEvent } from "../test/kit/lark-events.js";
import { createAnswerTracker } from "./lib/answer-tracker.js";
import { type ChildServer, startChildServer } from "./lib/child-server.js";
import type { Mode } from "./lib/modes.js";
import { type BenchResult, environment, target } from "./lib/results.js";
import { ratio, round } from "./lib/stats.js";

const GATEWAY_MAIN = fileURLToPath(new URL("../src/main.js", import.meta.url));
const POSTGRES_URL =
  process.env.LARKGATE_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

interface Settings {
  conversations: number;
  rounds: number;
}

const SETTINGS: Record<Mode, Settings> = {
  smoke: { conversations: 4, rounds: 2 },
  quick: { conversations: 40, rounds: 8 },
  full: { conversations: 100, rounds: 20 },
};

async function withClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Answers per second with `replicas` gateway processes on one PostgreSQL schema, the same
 * conversations and the same instant model; each message goes to the replicas in turn, as a
 * load balancer would send them.
 */
async function throughput(dir: string, replicas: number, settings: Settings) {
  const schema = `bench_${randomBytes(5).toString("hex")}`;
  await withClient((c) => c.query(`create schema ${schema}`));
  const url = new URL(POSTGRES_URL);
  url.searchParams.set("options", `-c search_path=${schema}`);
  const lark = await createFakeLark();
  const llm = await createFakeLlm();
  const gateways: ChildServer[] = [];
  try {
    for (let i = 0; i < replicas; i++) {
      gateways.push(
        await startChildServer({
          script: GATEWAY_MAIN,
          cwd: dir,
          logPath: join(dir, `replica-${replicas}-${i}.log`),
          readyMsg: "larkgate listening",
          env: {
            PATH: process.env.PATH ?? "",
            HTTP_HOST: "127.0.0.1",
            HTTP_PORT: "0",
            APP_ID: lark.app.appId,
            APP_SECRET: lark.app.appSecret,
            LARK_DOMAIN: lark.url,
            OPENAI_KEY: llm.apiKey,
            OPENAI_BASE_URL: llm.url,
            DATABASE_URL: url.toString(),
            WORKER_CONCURRENCY: "32",
          },
        }),
      );
    }
    const tracker = createAnswerTracker(lark);
    let sent = 0;
    const converse = async (index: number, rounds: number, label: string) => {
      for (let r = 0; r < rounds; r++) {
        const envelope = messageEvent({
          appId: lark.app.appId,
          chatId: `oc_${label}_${index}`,
          chatType: "p2p",
          senderOpenId: `ou_${index}`,
          text: `question ${r}`,
        });
        const gateway = gateways[sent++ % gateways.length]!;
        const pushed = await lark.push(`${gateway.url}/webhook/event`, envelope);
        if (pushed.status !== 200) throw new Error(`push answered ${pushed.status}`);
        await tracker.waitForAnswer(envelope.event.message.message_id, 60_000);
      }
    };
    // Warm-up: tokens, bot info, JIT, pool connections.
    await Promise.all(Array.from({ length: 4 }, (_, i) => converse(i, 2, "warm")));
    const started = performance.now();
    await Promise.all(
      Array.from({ length: settings.conversations }, (_, i) => converse(i, settings.rounds, "run")),
    );
    const seconds = (performance.now() - started) / 1000;
    const answers = settings.conversations * settings.rounds;
    // Every message must have exactly one answer card: no duplicates across replicas.
    const replies = lark.messages.filter((m) => m.replyTo !== undefined).length;
    const expected = answers + 8; // and the warm-up's 4 × 2
    return {
      answers,
      duplicateOrMissingReplies: Math.abs(replies - expected),
      seconds: round(seconds),
      answersPerSecond: round(answers / seconds, 1),
    };
  } finally {
    await Promise.all(gateways.map((g) => g.stop()));
    await llm.close();
    await lark.close();
    await withClient((c) => c.query(`drop schema ${schema} cascade`)).catch(() => undefined);
  }
}

/**
 * Scale-out on PostgreSQL: throughput of one replica and of two on the same database, same
 * load in the same run. On a 2-core machine that also runs the load and the fakes, two
 * replicas share the cores with them, so this shows the overhead of coordination as much as
 * the gain.
 */
export async function benchReplicas(dir: string, mode: Mode): Promise<BenchResult> {
  const settings = SETTINGS[mode];
  const reachable = await withClient(async () => true).catch(() => false);
  if (!reachable) {
    return {
      name: "replicas",
      title: "Scale-out on PostgreSQL: one replica vs two",
      environment: environment(mode),
      inputs: { ...settings, postgres: "unreachable" },
      results: {},
      targets: [],
      summary: [["skipped", `PostgreSQL not reachable at ${new URL(POSTGRES_URL).host}`]],
    };
  }
  const one = await throughput(dir, 1, settings);
  const two = await throughput(dir, 2, settings);
  const gain = ratio(two.answersPerSecond, one.answersPerSecond);
  return {
    name: "replicas",
    title: "Scale-out on PostgreSQL: one replica vs two",
    environment: environment(mode),
    inputs: {
      ...settings,
      llm: "instant",
      workerConcurrency: 32,
      note: "fakes and load in the bench process",
    },
    results: { one, two, gain },
    targets: [
      target(
        "replies beyond or short of one per message, two replicas",
        two.duplicateOrMissingReplies,
        "",
        "= 0",
        two.duplicateOrMissingReplies === 0,
      ),
    ],
    summary: [
      [
        "load",
        `${settings.conversations} conversations × ${settings.rounds} messages, back to back, instant model`,
      ],
      [
        "answers/s: one replica · two replicas",
        `${one.answersPerSecond} · ${two.answersPerSecond}`,
      ],
      ["two ÷ one", `${gain}×`],
    ],
  };
}
