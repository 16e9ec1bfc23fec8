import { join } from "node:path";
import type { InjectRule } from "../test/kit/fake-lark.js";
import { createRig } from "./lib/rig.js";
import { logLines, type ScenarioResult, sleep, until } from "./lib/scenario.js";
import { allAnswered, judgeRun } from "./lib/verdict.js";

/** Every IM and CardKit call; the token endpoint is left alone (the SDK owns that retry). */
const LARK_CALLS = /^\/open-apis\/(im|cardkit)\//;

/**
 * The fake Lark failing `rate` of the calls for `seconds` (5xx, 429 with its reset header,
 * 230020 rate limit, and 3 s slow answers, in equal shares) while questions keep coming, two a
 * second from ten people. Every answer must end complete, and larkgate must stay within Lark's
 * own rate limits while it retries.
 */
export async function larkChaos(
  dir: string,
  settings: { seconds: number; rate: number },
): Promise<ScenarioResult> {
  const rig = await createRig(join(dir, "lark"), "sqlite");
  const gateway = await rig.start();
  const share = settings.rate / 4;
  // Rules are tried in order, each on what the earlier ones let through: scale each so that
  // every kind takes `share` of all calls.
  const kinds: Array<Omit<InjectRule, "path">> = [
    { status: 500, code: 1, msg: "internal error" },
    { status: 429, code: 99991400 },
    { status: 400, code: 230020, msg: "rate limited" },
    { delayMs: 3_000 },
  ];
  const rules: InjectRule[] = kinds.map((kind, i) => ({
    ...kind,
    path: LARK_CALLS,
    times: Number.POSITIVE_INFINITY,
    probability: share / (1 - share * i),
  }));
  for (const rule of rules) rig.lark.inject(rule);
  const questions = new Map<string, string>();
  try {
    const started = performance.now();
    let sent = 0;
    const deliveries: Promise<number>[] = [];
    while (performance.now() - started < settings.seconds * 1000) {
      const text = `chaos q${sent}`;
      const envelope = rig.message(text, sent % 10);
      questions.set(envelope.event.message.message_id, text);
      deliveries.push(rig.deliver(() => gateway, envelope));
      sent++;
      await sleep(500);
    }
    await Promise.all(deliveries);
    const answered = await until(allAnswered(rig.lark, questions), 120_000);
    for (const rule of rules) rule.probability = 0;
    await sleep(3_000);
    const { figures, problems: found } = await judgeRun(rig, questions);
    const injected = rules.reduce((sum, rule) => sum + (rule.taken ?? 0), 0);
    const calls = rig.lark.calls.filter((c) => LARK_CALLS.test(c.path));
    const rateLimited = calls.filter((c) => c.code === 99991400).length - (rules[1]!.taken ?? 0);
    const retries = logLines(gateway).filter((l) => l.msg === "lark call failed, retrying").length;
    const problems = [
      ...(answered ? [] : ["questions still unanswered after 2 minutes"]),
      ...found,
      ...(rateLimited > 0 ? [`${rateLimited} calls over Lark's own rate limits`] : []),
    ];
    return {
      name: `Lark failing ${Math.round(settings.rate * 100)}% of calls for ${settings.seconds} s`,
      faults: `${injected} failed or slow Lark answers`,
      injected,
      messages: questions.size,
      lost: figures.lost,
      duplicated: figures.duplicated,
      figures: {
        "Lark calls": calls.length,
        "answered with the error notice instead": figures.failed,
        "retries logged": retries,
        "calls over Lark's rate limits": rateLimited,
        "Lark calls per answer": Math.round((calls.length / questions.size) * 10) / 10,
      },
      problems,
      logFiles: rig.logFiles,
      secrets: { ...rig.secrets },
    };
  } finally {
    await rig.close();
  }
}
