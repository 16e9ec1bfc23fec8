import { join } from "node:path";
import type { ChildServer } from "../bench/lib/child-server.js";
import type { FakeMessage } from "../test/kit/fake-lark.js";
import { createRig } from "./lib/rig.js";
import { killHard, logLines, type ScenarioResult, sleep, until } from "./lib/scenario.js";
import { judgeQuestion, judgeRun } from "./lib/verdict.js";

/** The bound: a killed replica's answers resume on another within this. */
const TAKEOVER_LIMIT_S = 5;

/**
 * Two replicas on PostgreSQL, a long answer streaming on one of them, which is then either
 * killed (SIGKILL) or stalled (SIGSTOP for 2.5 leases, then SIGCONT), in turn. For a kill, the
 * figure is the time from the kill to the first text of the answer the other replica shows;
 * for a stall, that the stalled replica shows nothing more once it wakes.
 */
export async function replicaFaults(
  dir: string,
  settings: { rounds: number; seed: number },
): Promise<ScenarioResult> {
  // 40 chunks, 100 ms apart: an answer takes about 4 s, long enough to be caught mid-way.
  const rig = await createRig(join(dir, "replicas"), "postgres", { chunks: 40, chunkDelayMs: 100 });
  const questions = new Map<string, string>();
  const takeovers: number[] = [];
  const problems: string[] = [];
  let stalls = 0;
  const gateways: ChildServer[] = [await rig.start(), await rig.start()];
  try {
    for (let round = 0; round < settings.rounds; round++) {
      const text = `replica round ${round}`;
      const envelope = rig.message(text, 1_000 + round);
      const messageId = envelope.event.message.message_id;
      questions.set(messageId, text);
      await rig.deliver(() => gateways[round % 2]!, envelope);
      const replies = () => rig.lark.messages.filter((m) => m.replyTo === messageId);
      const streaming = (m: FakeMessage) => (m.card?.contentUpdates.length ?? 0) > 0;
      if (!(await until(() => replies().some(streaming), 15_000))) {
        problems.push(`round ${round}: the answer never started`);
        continue;
      }
      const index = gateways.findIndex((g) =>
        logLines(g).some((l) => l.msg === "answering" && l.messageId === messageId),
      );
      const runner = gateways[index]!;
      if (round % 2 === 0) {
        const killedAt = performance.now();
        await killHard(runner);
        const resumed = await until(() => replies().filter(streaming).length >= 2, 30_000);
        const fresh = replies().filter(streaming)[1];
        if (resumed && fresh?.card) {
          takeovers.push((fresh.card.contentUpdates[0]!.at - killedAt) / 1000);
        } else {
          problems.push(`round ${round}: no replica took the answer over within 30 s`);
        }
        gateways[index] = await rig.start();
      } else {
        stalls++;
        runner.child.kill("SIGSTOP");
        try {
          await until(() => judgeQuestion(rig.lark, messageId, text).complete > 0, 30_000);
        } finally {
          runner.child.kill("SIGCONT");
        }
        // Whatever the woken replica would still send arrives within a few of its 150 ms ticks.
        await sleep(2_000);
      }
      if (!(await until(() => judgeQuestion(rig.lark, messageId, text).complete > 0, 30_000)))
        problems.push(`round ${round}: no complete answer`);
    }
    await sleep(5_000);
    const { figures, history, problems: found } = await judgeRun(rig, questions);
    problems.push(...found);
    const sorted = [...takeovers].sort((a, b) => a - b);
    const worst = sorted.at(-1) ?? Number.NaN;
    if (worst > TAKEOVER_LIMIT_S)
      problems.push(`a takeover took ${worst.toFixed(1)} s (limit ${TAKEOVER_LIMIT_S} s)`);
    return {
      name: "replica killed / stalled mid-answer (PostgreSQL, 2 replicas)",
      faults: `${takeovers.length} kills, ${stalls} stalls of 10 s`,
      injected: takeovers.length + stalls,
      messages: questions.size,
      lost: figures.lost,
      duplicated: figures.duplicated,
      figures: {
        "takeover after a kill, median s": sorted.length
          ? sorted[Math.floor(sorted.length / 2)]!.toFixed(2)
          : "n/a",
        "takeover, worst s": Number.isNaN(worst) ? "n/a" : worst.toFixed(2),
        "answered with the error notice instead": figures.failed,
        "cards marked interrupted": figures.interrupted,
        "cards left broken": figures.broken,
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
