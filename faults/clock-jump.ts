import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ChildServer } from "../bench/lib/child-server.js";
import { createRig } from "./lib/rig.js";
import { killHard, type ScenarioResult, seeded, sleep, until } from "./lib/scenario.js";
import { allAnswered, judgeAll, judgeRun } from "./lib/verdict.js";

const CLOCK_SHIFT = fileURLToPath(new URL("./lib/clock-shift.js", import.meta.url));
const HOUR = 60 * 60 * 1000;
/** Further than the 8 h signature window and the 30 min staleness of a message. */
const JUMP_MS = 10 * HOUR;

/**
 * The gateway's wall clock stepped by 10 hours while questions arrive and answers stream
 * (a preloaded module shifts `Date` in the gateway process only; Lark's fake keeps real time,
 * as Lark does). Part one: +10 h, then −20 h (to 10 h behind), then back, two questions a
 * second, a tenth of the acknowledged pushes sent again: no push may be refused as stale, no
 * message ignored as too old, no answer interrupted by its own worker thinking its lease ran
 * out. Part two: at +10 h, the gateway killed mid-answers and started again with the clock
 * set right (10 h back): its jobs' leases, set 10 h ahead, must not hold them for 10 hours.
 */
export async function clockJump(
  dir: string,
  settings: { secondsPerStep: number; seed: number },
): Promise<ScenarioResult> {
  const random = seeded(settings.seed);
  // Eight chunks 250 ms apart: a 2 s answer, so jumps land mid-stream.
  const rig = await createRig(join(dir, "clock"), "sqlite", { chunkDelayMs: 250 });
  const clockFile = join(dir, "clock-offset");
  const questions = new Map<string, string>();
  const problems: string[] = [];
  let gateway: ChildServer | undefined;
  const setClock = (offsetMs: number, running?: ChildServer) => {
    writeFileSync(clockFile, String(offsetMs));
    running?.child.kill("SIGUSR2");
  };
  const start = () =>
    rig.start({ LARKGATE_FAULT_CLOCK_FILE: clockFile }, { nodeArgs: ["--import", CLOCK_SHIFT] });
  try {
    setClock(0);
    gateway = await start();
    const current = () => gateway!;
    let sent = 0;
    const push = async (label: string, seconds: number) => {
      const deliveries: Promise<void>[] = [];
      const until = performance.now() + seconds * 1000;
      while (performance.now() < until) {
        const text = `clock ${label} q${sent}`;
        const envelope = rig.message(text, sent % 10);
        questions.set(envelope.event.message.message_id, text);
        const again = random() < 0.1;
        deliveries.push(
          rig.deliver(current, envelope).then(async () => {
            if (again) await rig.deliver(current, envelope);
          }),
        );
        sent++;
        await sleep(500);
      }
      await Promise.all(deliveries);
    };

    // Part one: the clock stepped while the gateway runs.
    await push("before", settings.secondsPerStep);
    setClock(JUMP_MS, gateway);
    await push("ahead", settings.secondsPerStep);
    setClock(-JUMP_MS, gateway);
    await push("behind", settings.secondsPerStep);
    setClock(0, gateway);
    await push("right", settings.secondsPerStep);
    if (!(await until(allAnswered(rig.lark, questions), 60_000)))
      problems.push("part one: questions unanswered a minute after the last push");
    const partOne = judgeAll(rig.lark, questions);
    const refused = [...rig.pushStatuses].filter(([status]) => status !== 200);
    if (refused.length > 0)
      problems.push(
        `pushes refused while the clock was off: ${refused.map(([s, n]) => `${s}: ${n}`).join(", ")}`,
      );
    if (partOne.interrupted > 0)
      problems.push(`${partOne.interrupted} answers interrupted though no process died`);

    // Part two: killed at +10 h mid-answers, restarted with the clock set right.
    setClock(JUMP_MS, gateway);
    const burst = Array.from({ length: 10 }, (_, i) => {
      const text = `clock killed q${i}`;
      const envelope = rig.message(text, i);
      questions.set(envelope.event.message.message_id, text);
      return envelope;
    });
    await Promise.all(burst.map((envelope) => rig.deliver(current, envelope)));
    await sleep(800);
    await killHard(gateway);
    setClock(0);
    const restarted = performance.now();
    gateway = await start();
    const resumed = await until(allAnswered(rig.lark, questions), 60_000);
    const resumeS = (performance.now() - restarted) / 1000;
    if (!resumed) problems.push("part two: the killed run's questions unanswered a minute later");

    await sleep(3_000);
    const { figures, history, problems: found } = await judgeRun(rig, questions);
    problems.push(...found);
    return {
      name: "the gateway's clock stepped by 10 h, forward and back",
      faults:
        "3 steps while running (+10 h, −20 h, +10 h), 1 kill at +10 h and a restart set right",
      injected: 4,
      messages: questions.size,
      lost: figures.lost,
      duplicated: figures.duplicated,
      figures: {
        "pushes refused": refused.reduce((n, [, count]) => n + count, 0),
        "answers interrupted without a crash": partOne.interrupted,
        "killed run's questions all answered after restart, s": Math.round(resumeS * 10) / 10,
        "answered with the error notice instead": figures.failed,
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
