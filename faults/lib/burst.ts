import type { Rig } from "./rig.js";
import { sleep, until } from "./scenario.js";
import { allAnswered } from "./verdict.js";

export interface BurstSettings {
  pushesPerRound: number;
}

/** A burst of pushes from 20 people, with `fault` started somewhere in it; waits for answers. */
export async function burstWithFault(
  rig: Rig,
  gatewayUrl: () => string,
  round: number,
  settings: BurstSettings,
  random: () => number,
  fault: () => Promise<void>,
  questions: Map<string, string>,
  problems: string[],
  /** Wraps each push's delivery (until acknowledged), to observe it; default: just send it. */
  around: (send: () => Promise<unknown>) => Promise<void> = async (send) => {
    await send();
  },
  /** The start of each question's text, so scenarios sharing a rig stay apart. */
  label = "store",
): Promise<void> {
  const burst = Array.from({ length: settings.pushesPerRound }, (_, i) => {
    const text = `${label} r${round} q${i}`;
    const envelope = rig.message(text, i % 20);
    questions.set(envelope.event.message.message_id, text);
    return envelope;
  });
  const faulting = sleep(50 + random() * settings.pushesPerRound * 5).then(fault);
  await Promise.all(
    burst.map(async (envelope, i) => {
      await sleep(i * 5);
      await around(() => rig.deliver(() => ({ url: gatewayUrl() }), envelope));
    }),
  );
  await faulting;
  if (!(await until(allAnswered(rig.lark, questions), 90_000)))
    problems.push(`round ${round}: questions still unanswered 90 s after the fault`);
}
