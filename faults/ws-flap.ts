import { join } from "node:path";
import { attachFakeLarkWs } from "../test/kit/fake-lark-ws.js";
import { createRig } from "./lib/rig.js";
import { type ScenarioResult, seeded, sleep, until } from "./lib/scenario.js";
import { allAnswered, judgeRun } from "./lib/verdict.js";

/**
 * The long connection (EVENT_MODE=websocket) broken every 2–5 s for `seconds`: sockets closed
 * by the server (with and without a close frame) or left half-open (no pongs, nothing
 * delivered, as when a NAT forgets the connection), while two questions a second arrive.
 * Lark re-pushes whatever was not acknowledged within 3 s, and here also a tenth of what was
 * (a lost ack looks the same to Lark). Every question must get exactly one answer.
 */
export async function wsFlap(
  dir: string,
  settings: { seconds: number; seed: number },
): Promise<ScenarioResult> {
  const random = seeded(settings.seed);
  const rig = await createRig(join(dir, "ws"), "sqlite");
  const ws = attachFakeLarkWs(rig.lark, { apps: [rig.lark.app] });
  await rig.start({ EVENT_MODE: "websocket" });
  const questions = new Map<string, string>();
  let breaks = 0;
  let halfOpen = 0;
  let repushes = 0;
  let extraPushes = 0;
  let unacked = 0;
  try {
    await ws.waitForConnections(1, 15_000);
    const started = performance.now();
    let flapping = true;
    const flapper = (async () => {
      while (flapping) {
        await sleep(2_000 + random() * 3_000);
        if (!flapping) break;
        breaks++;
        const kind = random();
        if (kind < 0.4) ws.dropConnections({ abrupt: true });
        else if (kind < 0.7) ws.dropConnections();
        else {
          halfOpen++;
          ws.silence();
        }
      }
    })();
    const deliveries: Promise<void>[] = [];
    let sent = 0;
    while (performance.now() - started < settings.seconds * 1000) {
      const text = `ws q${sent}`;
      const envelope = rig.message(text, sent % 10);
      questions.set(envelope.event.message.message_id, text);
      const again = random() < 0.1;
      deliveries.push(
        ws
          .pushWithRepush(envelope, { repushAfterMs: 3_000, times: 30, connectTimeoutMs: 20_000 })
          .then(async (result) => {
            repushes += result.pushes.length - 1;
            if (!again) return;
            extraPushes++;
            await ws.pushWithRepush(envelope, {
              repushAfterMs: 3_000,
              times: 30,
              connectTimeoutMs: 20_000,
            });
          })
          .catch(() => {
            unacked++;
          }),
      );
      sent++;
      await sleep(500);
    }
    await Promise.all(deliveries);
    flapping = false;
    await flapper;
    const answered = await until(allAnswered(rig.lark, questions), 60_000);
    await sleep(3_000);
    const { figures, problems: found } = await judgeRun(rig, questions);
    const problems = [
      ...(answered ? [] : ["questions still unanswered a minute after the last push"]),
      ...(unacked > 0 ? [`${unacked} pushes never acknowledged after 30 re-pushes`] : []),
      ...found,
    ];
    return {
      name: `long connection broken every 2–5 s for ${settings.seconds} s`,
      faults: `${breaks} connection breaks (${halfOpen} half-open)`,
      injected: breaks,
      messages: questions.size,
      lost: figures.lost,
      duplicated: figures.duplicated,
      figures: {
        "connections opened": ws.connectCount,
        "re-pushes after no ack": repushes,
        "acknowledged pushes sent again": extraPushes,
        "answered with the error notice instead": figures.failed,
      },
      problems,
      logFiles: rig.logFiles,
      secrets: { ...rig.secrets },
    };
  } finally {
    await ws.close();
    await rig.close();
  }
}
