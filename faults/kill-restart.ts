import { join } from "node:path";
import type { ChildServer } from "../bench/lib/child-server.js";
import { createRig, type StoreKind } from "./lib/rig.js";
import { killHard, type ScenarioResult, seeded, sleep, until } from "./lib/scenario.js";
import { allAnswered, judgeRun } from "./lib/verdict.js";

export interface KillRestartSettings {
  rounds: number;
  pushesPerRound: number;
  users: number;
  seed: number;
}

/**
 * The gateway killed with SIGKILL at a random moment of a burst of pushes and answers, started
 * again on the same database, round after round. Pushes that were not acknowledged are pushed
 * again (as Lark does), and a tenth of the acknowledged ones too (Lark re-delivers sometimes).
 * Every question must end with exactly one complete answer, and the history with it once.
 */
export async function killRestart(
  dir: string,
  kind: StoreKind,
  settings: KillRestartSettings,
): Promise<ScenarioResult> {
  const random = seeded(settings.seed);
  const rig = await createRig(join(dir, `kill-${kind}`), kind);
  const questions = new Map<string, string>();
  const problems: string[] = [];
  let kills = 0;
  let redeliveries = 0;
  let gateway: ChildServer = await rig.start();
  try {
    for (let round = 0; round < settings.rounds; round++) {
      const burst = Array.from({ length: settings.pushesPerRound }, (_, i) => {
        const text = `r${round} q${i}`;
        const envelope = rig.message(text, i % settings.users);
        questions.set(envelope.event.message.message_id, text);
        return envelope;
      });
      // The kill lands somewhere in the burst or in the answers that follow it.
      const killAt = 50 + random() * (settings.pushesPerRound * 6 + 800);
      const killing = (async () => {
        await sleep(killAt);
        await killHard(gateway);
        kills++;
        gateway = await rig.start();
      })();
      await Promise.all(
        burst.map(async (envelope, i) => {
          await sleep(i * 5);
          const attempts = await rig.deliver(() => gateway, envelope);
          redeliveries += attempts - 1;
          if (random() < 0.1) {
            await rig.deliver(() => gateway, envelope);
            redeliveries++;
          }
        }),
      );
      await killing;
      const answered = await until(allAnswered(rig.lark, questions), 60_000);
      if (!answered) problems.push(`round ${round}: questions still unanswered after 60 s`);
      // Long enough for a run that lost its lease (4 s) to show a late duplicate, if it could.
      await sleep(5_000);
    }
    const { figures, history, problems: found } = await judgeRun(rig, questions);
    problems.push(...found);
    return {
      name: `kill -9 and restart (${kind === "sqlite" ? "SQLite" : "PostgreSQL"})`,
      faults: `${kills} kills during bursts of ${settings.pushesPerRound} pushes`,
      injected: kills,
      messages: questions.size,
      lost: figures.lost,
      duplicated: figures.duplicated,
      figures: {
        "re-pushes": redeliveries,
        "answered with the error notice instead": figures.failed,
        "cards marked interrupted": figures.interrupted,
        "cards left broken": figures.broken,
        "history problems": history.length,
        "LLM calls per question":
          Math.round((rig.llm.requests.length / questions.size) * 100) / 100,
        seed: settings.seed,
      },
      problems,
      logFiles: rig.logFiles,
      secrets: { ...rig.secrets },
    };
  } finally {
    await rig.close();
  }
}
