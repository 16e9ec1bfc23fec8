import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { messageEvent } from "../test/kit/lark-events.js";
import { createAnswerTracker } from "./lib/answer-tracker.js";
import { fillExchanges } from "./lib/fill-exchanges.js";
import { startGatewayRig } from "./lib/gateway-rig.js";
import type { Mode, ModeSettings } from "./lib/modes.js";
import { processMemory } from "./lib/proc-stats.js";
import { type BenchResult, environment, target } from "./lib/results.js";
import { BENCH_ENCRYPT_KEY, BENCH_VERIFICATION_TOKEN } from "./lib/signed-push.js";
import { ratio } from "./lib/stats.js";

const ANSWER = "Noted. Here is a short answer that goes into the conversation's history.";
/** Resident memory the gateway should stay under while idle. */
const IDLE_LIMIT_MB = 150;
/**
 * A V8 old-space cap for a third run on the large store: if the same work still completes,
 * the growth seen without it is heap headroom and garbage V8 had no reason to collect, not
 * state the gateway keeps.
 */
const HEAP_CAP_MB = 96;

type Settings = ModeSettings["memory"];

interface MemoryRun {
  /** Node flags of the gateway process, if any. */
  nodeArgs: string[];
  storedConversations: number;
  storedExchanges: number;
  activeConversations: number;
  /** RSS after start-up, before any message (MB). */
  idleMb: number;
  /** RSS once every active conversation got its answer (MB). */
  afterMb: number;
  /** Peak RSS over the process's life (MB). */
  peakMb: number;
  answerSeconds: number;
}

interface FilledStore {
  path: string;
  conversations: number;
  exchanges: number;
}

async function fillStore(path: string, conversations: number, turns: number): Promise<FilledStore> {
  const fill = await fillExchanges(path, [{ prefix: "oc_mem_", count: conversations, turns }]);
  return { path, conversations, exchanges: fill.exchanges };
}

/** Starts a gateway on a fresh copy of `store`, reads RSS idle, answers `active` conversations, reads again. */
async function runOnce(
  dir: string,
  store: FilledStore,
  active: number,
  settings: Settings,
  nodeArgs: string[] = [],
): Promise<MemoryRun> {
  mkdirSync(dir, { recursive: true });
  const databasePath = join(dir, "memory.db");
  // The fill checkpointed its WAL into the main file, so the file alone is the whole store.
  copyFileSync(store.path, databasePath);
  const rig = await startGatewayRig({
    dir,
    databasePath,
    nodeArgs,
    prepare: ({ llm }) => llm.setDefault({ text: ANSWER }),
  });
  const settle = () => new Promise((resolve) => setTimeout(resolve, settings.settleMs));
  try {
    const tracker = createAnswerTracker(rig.lark);
    const memory = () => {
      const read = processMemory(rig.gateway.pid);
      if (!read) throw new Error("memory bench needs Linux /proc to read the gateway's RSS");
      return read;
    };
    await settle();
    const idle = memory();

    let next = 0;
    const started = performance.now();
    const converse = async () => {
      for (let i = next++; i < active; i = next++) {
        const envelope = messageEvent({
          appId: rig.lark.app.appId,
          token: BENCH_VERIFICATION_TOKEN,
          chatId: `oc_mem_${i}`,
          chatType: "p2p",
          senderOpenId: `ou_oc_mem_${i}`,
          text: `A new question for conversation ${i}`,
        });
        const pushed = await rig.lark.push(rig.webhookUrl, envelope, {
          encryptKey: BENCH_ENCRYPT_KEY,
        });
        if (pushed.status !== 200)
          throw new Error(`push answered ${pushed.status}: ${pushed.body}`);
        await tracker.waitForAnswer(envelope.event.message.message_id, 60_000);
      }
    };
    await Promise.all(Array.from({ length: settings.pushConcurrency }, converse));
    const answerSeconds = Math.round((performance.now() - started) / 100) / 10;
    await settle();
    const after = memory();
    return {
      nodeArgs,
      storedConversations: store.conversations,
      storedExchanges: store.exchanges,
      activeConversations: active,
      idleMb: idle.rssMb,
      afterMb: after.rssMb,
      peakMb: after.peakRssMb,
      answerSeconds,
    };
  } catch (error) {
    throw new Error(
      `${(error as Error).message}\ngateway log tail:\n${rig.gateway.output().slice(-3000)}`,
    );
  } finally {
    await rig.close();
  }
}

/**
 * Memory: the gateway's resident set idle and after answering one new message in each of many
 * conversations that already have history, for a small and a much larger store with the same
 * working set. Bounded means the larger store barely moves the figure.
 */
export async function benchMemory(
  dir: string,
  mode: Mode,
  settings: Settings,
): Promise<BenchResult> {
  const [small, large] = settings.storedConversations;
  const turns = settings.turnsPerConversation;
  // The same working set in every run: conversations that exist in the small store too.
  const active = Math.min(settings.activeConversations, small);
  const smallStore = await fillStore(join(dir, "small.db"), small, turns);
  const largeStore = await fillStore(join(dir, "large.db"), large, turns);
  const runs = [
    await runOnce(join(dir, "memory-small"), smallStore, active, settings),
    await runOnce(join(dir, "memory-large"), largeStore, active, settings),
  ];
  const [first, second] = runs as [MemoryRun, MemoryRun];
  let capped: MemoryRun | { nodeArgs: string[]; error: string };
  const capArgs = [`--max-old-space-size=${HEAP_CAP_MB}`];
  try {
    capped = await runOnce(join(dir, "memory-capped"), largeStore, active, settings, capArgs);
  } catch (error) {
    capped = { nodeArgs: capArgs, error: (error as Error).message.split("\n")[0] ?? "failed" };
  }
  const afterRatio = ratio(second.afterMb, first.afterMb);
  const storeRatio = ratio(second.storedExchanges, first.storedExchanges);
  return {
    name: "memory",
    title: "Memory: gateway RSS idle and after answering many conversations",
    environment: environment(mode),
    inputs: {
      turnsPerConversation: settings.turnsPerConversation,
      storedConversations: settings.storedConversations,
      activeConversations: settings.activeConversations,
      pushConcurrency: settings.pushConcurrency,
      settleMs: settings.settleMs,
      workerConcurrency: "default (8)",
      source: "VmRSS / VmHWM of the gateway process from /proc/<pid>/status",
    },
    results: { runs, capped, afterRatio, storeRatio },
    targets: [
      target("idle RSS", second.idleMb, "MB", `< ${IDLE_LIMIT_MB}`, second.idleMb < IDLE_LIMIT_MB),
      target(
        `RSS after, ${storeRatio}× the stored exchanges`,
        afterRatio,
        "×",
        "≤ 1.2",
        afterRatio <= 1.2,
      ),
    ],
    summary: [
      ...runs.map((run): [string, string] => [
        `${run.storedExchanges.toLocaleString("en")} stored exchanges (${run.storedConversations.toLocaleString("en")} conversations), ${run.activeConversations} answered: RSS idle → after (peak)`,
        `${run.idleMb} → ${run.afterMb} MB (${run.peakMb} MB)`,
      ]),
      [
        `same as the last, V8 heap capped at ${HEAP_CAP_MB} MB`,
        "error" in capped
          ? `failed: ${capped.error}`
          : `${capped.idleMb} → ${capped.afterMb} MB (${capped.peakMb} MB), all answered`,
      ],
    ],
  };
}
