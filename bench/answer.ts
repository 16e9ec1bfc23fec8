import { messageEvent } from "../test/kit/lark-events.js";
import { type AnswerTiming, callsPerAnswer, createAnswerTracker } from "./lib/answer-tracker.js";
import { type GatewayRig, startGatewayRig } from "./lib/gateway-rig.js";
import type { Mode, ModeSettings } from "./lib/modes.js";
import { processCpuMs } from "./lib/proc-stats.js";
import { type BenchResult, environment, target } from "./lib/results.js";
import { BENCH_ENCRYPT_KEY, BENCH_VERIFICATION_TOKEN } from "./lib/signed-push.js";
import { ratio, round, type Summary, summarize } from "./lib/stats.js";

type Settings = ModeSettings["answer"];
type Tracker = ReturnType<typeof createAnswerTracker>;

/** A short answer the fake LLM streams word by word with no delay between words. */
const ANSWER =
  "Sure. The gateway acknowledges the push, stores it, and a worker streams this answer into a card while the model produces it, then closes the card with the final text.";
/** Enough worker slots that no conversation waits for one: the wait would be measured instead. */
const WORKER_CONCURRENCY = 256;

interface Sample {
  startedAt: number;
  ackMs: number;
  timing: AnswerTiming;
}

interface Run {
  samples: Sample[];
  seconds: number;
  /** Gateway process CPU time spent during the run, per answer. */
  cpuMsPerAnswer: number;
}

export interface LevelResult {
  conversations: number;
  answers: number;
  /** How long the fake LLM held each answer (subtracted from the text figures). */
  holdMs: number;
  /** Push sent → first text at the fake Lark, minus the hold (ms). */
  firstText: Summary;
  /** Push sent → final card, minus the hold (ms). */
  finalText: Summary;
  /** Push sent → HTTP 200 of the push (ms). */
  ack: Summary;
  answersPerSecond: number;
  cpuMsPerAnswer: number;
  /** Answers whose first text only appeared with the final card (the LLM was faster than one update). */
  firstTextAtFinal: number;
  /** Answers that arrived as a plain message (fallback or error notice) rather than a card. */
  notAsCard: number;
}

/** p50 of a keep-alive GET to the in-process fake LLM: one local HTTP hop, the unit of overhead. */
async function measureHop(rig: GatewayRig, samples: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < samples + 5; i++) {
    const started = performance.now();
    const response = await fetch(`${rig.llm.url}/models`, {
      headers: { authorization: `Bearer ${rig.llm.apiKey}` },
    });
    await response.arrayBuffer();
    if (i >= 5) times.push(performance.now() - started);
  }
  return summarize(times).p50;
}

/**
 * `conversations` p2p chats, each sending `rounds` messages, the next one as soon as the
 * previous answer is complete; chat i starts after i/conversations of `staggerMs`.
 */
async function runConversations(
  rig: GatewayRig,
  tracker: Tracker,
  label: string,
  conversations: number,
  rounds: number,
  staggerMs: number,
): Promise<Run> {
  const samples: Sample[] = [];
  const converse = async (index: number) => {
    await new Promise((resolve) => setTimeout(resolve, (staggerMs * index) / conversations));
    for (let round = 0; round < rounds; round++) {
      const envelope = messageEvent({
        appId: rig.lark.app.appId,
        token: BENCH_VERIFICATION_TOKEN,
        chatId: `oc_answer_${label}_${index}`,
        chatType: "p2p",
        senderOpenId: `ou_answer_${index}`,
        text: `Question ${round} from conversation ${index}`,
      });
      const startedAt = performance.now();
      const pushed = await rig.lark.push(rig.webhookUrl, envelope, {
        encryptKey: BENCH_ENCRYPT_KEY,
      });
      if (pushed.status !== 200) throw new Error(`push answered ${pushed.status}: ${pushed.body}`);
      const timing = await tracker.waitForAnswer(envelope.event.message.message_id, 60_000);
      samples.push({ startedAt, ackMs: pushed.ms, timing });
    }
  };
  const cpuBefore = processCpuMs(rig.gateway.pid);
  const started = performance.now();
  await Promise.all(Array.from({ length: conversations }, (_, i) => converse(i)));
  const seconds = (performance.now() - started) / 1000;
  const cpuMs = processCpuMs(rig.gateway.pid) - cpuBefore;
  return { samples, seconds, cpuMsPerAnswer: round(cpuMs / samples.length, 2) };
}

function levelResult(conversations: number, holdMs: number, run: Run): LevelResult {
  const { samples } = run;
  const overhead = (at: number | undefined, s: Sample) => (at ?? Number.NaN) - s.startedAt - holdMs;
  return {
    conversations,
    answers: samples.length,
    holdMs,
    firstText: summarize(samples.map((s) => overhead(s.timing.firstTextAt, s))),
    finalText: summarize(samples.map((s) => overhead(s.timing.finalAt, s))),
    ack: summarize(samples.map((s) => s.ackMs)),
    answersPerSecond: round(samples.length / run.seconds, 1),
    cpuMsPerAnswer: run.cpuMsPerAnswer,
    firstTextAtFinal: samples.filter((s) => s.timing.firstTextAt === s.timing.finalAt).length,
    notAsCard: samples.filter((s) => s.timing.via !== "card").length,
  };
}

const plural = (n: number) => `${n} conversation${n === 1 ? "" : "s"}`;

/**
 * Answer overhead: what the gateway adds between a push and the text at Lark, with many
 * conversations at once, and what each answer costs in Lark API calls and CPU. The model's own
 * time is taken out: it answers at once (1 conversation), or holds every answer for a fixed
 * time that is subtracted (many conversations, so their answers overlap as with a real model).
 */
export async function benchAnswer(
  dir: string,
  mode: Mode,
  settings: Settings,
): Promise<BenchResult> {
  const rig = await startGatewayRig({
    dir,
    env: { WORKER_CONCURRENCY: String(WORKER_CONCURRENCY) },
    prepare: ({ llm }) => llm.setDefault({ text: ANSWER }),
  });
  try {
    const tracker = createAnswerTracker(rig.lark);
    const hopMs = await measureHop(rig, 50);
    await runConversations(rig, tracker, "warmup", 1, settings.warmupAnswers, 0);

    const before = tracker.routeCounts();
    const levels: LevelResult[] = [];
    for (const { conversations, rounds } of settings.levels) {
      const holdMs = conversations > 1 ? settings.holdMs : 0;
      rig.llm.setDefault({ text: ANSWER, ...(holdMs > 0 ? { delayMs: holdMs } : {}) });
      const run = await runConversations(
        rig,
        tracker,
        `c${conversations}`,
        conversations,
        rounds,
        holdMs,
      );
      levels.push(levelResult(conversations, holdMs, run));
    }
    const answers = levels.reduce((n, l) => n + l.answers, 0);
    const perAnswer = callsPerAnswer(before, tracker.routeCounts(), answers);
    const totalCalls = round(
      Object.values(perAnswer).reduce((a, b) => a + b, 0),
      2,
    );

    rig.llm.setDefault({ text: ANSWER });
    const { conversations: satConversations, rounds: satRounds } = settings.saturation;
    const saturation = levelResult(
      satConversations,
      0,
      await runConversations(rig, tracker, "saturation", satConversations, satRounds, 0),
    );

    const reference = levels.find((l) => l.conversations === 50) ?? levels.at(-1)!;
    const at = `at ${plural(reference.conversations)}`;
    const notAsCard = [...levels, saturation].reduce((n, l) => n + l.notAsCard, 0);
    const single = levels[0]!;
    return {
      name: "answer",
      title: "Answer overhead: push → text at Lark, model time excluded",
      environment: environment(mode),
      inputs: {
        levels: settings.levels,
        holdMs: settings.holdMs,
        saturation: settings.saturation,
        warmupAnswers: settings.warmupAnswers,
        workerConcurrency: WORKER_CONCURRENCY,
        answerChars: ANSWER.length,
        answerMode: "cardkit (default)",
        note: "fake Lark and fake LLM run in the load process, the gateway in its own; LOG_LEVEL=info",
      },
      results: {
        hopMs,
        levels: levels.map((l) => ({ ...l, firstTextP50InHops: ratio(l.firstText.p50, hopMs) })),
        saturation,
        callsPerAnswer: perAnswer,
        totalCallsPerAnswer: totalCalls,
      },
      targets: [
        target(
          `overhead to first text p50 ${at}`,
          reference.firstText.p50,
          "ms",
          "< 15",
          reference.firstText.p50 < 15,
        ),
        target(
          `overhead to first text p99 ${at}`,
          reference.firstText.p99,
          "ms",
          "< 50",
          reference.firstText.p99 < 50,
        ),
        target("answers not delivered as streamed cards", notAsCard, "", "= 0", notAsCard === 0),
      ],
      summary: [
        ...levels.map((l): [string, string] => [
          `${plural(l.conversations)}${l.holdMs ? ` (model holds each answer ${l.holdMs} ms)` : ""}: overhead to first text / final, p50 · p99`,
          `${l.firstText.p50} / ${l.finalText.p50} · ${l.firstText.p99} / ${l.finalText.p99} ms`,
        ]),
        [
          `saturation (${plural(saturation.conversations)}, instant model, no pause): answers/s · ack p99 · first text p50`,
          `${saturation.answersPerSecond}/s · ${saturation.ack.p99} ms · ${saturation.firstText.p50} ms`,
        ],
        ["gateway CPU per answer (at saturation)", `${saturation.cpuMsPerAnswer} ms`],
        [
          "one local HTTP hop, p50 (baseline)",
          `${hopMs} ms; 1-conversation first text = ${ratio(single.firstText.p50, hopMs)} hops`,
        ],
        ["Lark API calls per answer", String(totalCalls)],
        ...Object.entries(perAnswer).map(([route, n]): [string, string] => [
          `· ${shortRoute(route)}`,
          String(n),
        ]),
      ],
    };
  } catch (error) {
    throw new Error(
      `${(error as Error).message}\ngateway log tail:\n${rig.gateway.output().slice(-3000)}`,
    );
  } finally {
    await rig.close();
  }
}

/** `PUT /open-apis/cardkit/v1/cards/:card_id/elements/:element_id/content` → `PUT cardkit/v1/cards/…/elements/…/content`. */
function shortRoute(route: string): string {
  return route.replace("/open-apis/", "").replace(/\/:[a-z_]+/g, "/…");
}
