import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ChildServer } from "../bench/lib/child-server.js";
import { createRig, type Rig } from "./lib/rig.js";
import { logLines, type ScenarioResult, sleep, until } from "./lib/scenario.js";
import { allAnswered, judgeRun } from "./lib/verdict.js";

/** The normal push rate of the other scenarios (two questions a second), and the overload. */
const NORMAL_PER_S = 2;
const OVERLOAD = 10;
/** Lark waits 3 s for an ack before it counts the push as failed and pushes again. */
const LARK_ACK_TIMEOUT_MS = 3_000;
/** The overload's peak memory against the normal rate's, same process: the bound it must hold. */
const MAX_RSS_RATIO = 1.5;

interface Phase {
  acks: number[];
  /** Pushes that needed more than one try (not acknowledged within Lark's 3 s, or refused). */
  retried: number;
  peakRssMb: number;
}

function rssMb(gateway: ChildServer): number {
  const status = readFileSync(`/proc/${gateway.child.pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Pushes `perSecond` questions a second for `seconds`, timing each ack, sampling memory. */
async function pushAtRate(
  rig: Rig,
  gateway: ChildServer,
  label: string,
  perSecond: number,
  seconds: number,
  questions: Map<string, string>,
): Promise<Phase> {
  const phase: Phase = { acks: [], retried: 0, peakRssMb: rssMb(gateway) };
  const sampler = setInterval(() => {
    phase.peakRssMb = Math.max(phase.peakRssMb, rssMb(gateway));
  }, 250);
  const deliveries: Promise<void>[] = [];
  const started = performance.now();
  const total = perSecond * seconds;
  try {
    for (let n = 0; n < total; n++) {
      // On schedule from the start, however long the previous pushes took.
      const due = started + (n * 1000) / perSecond;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const text = `${label} q${n}`;
      // 200 people, so that many conversations are open at once, as in a company-wide bot.
      const envelope = rig.message(text, n % 200);
      questions.set(envelope.event.message.message_id, text);
      deliveries.push(
        (async () => {
          const sent = performance.now();
          const tries = await rig.deliver(() => gateway, envelope);
          if (tries === 1) phase.acks.push(performance.now() - sent);
          else phase.retried++;
        })(),
      );
    }
    await Promise.all(deliveries);
  } finally {
    clearInterval(sampler);
  }
  phase.acks.sort((a, b) => a - b);
  return phase;
}

/**
 * Ten times the normal push rate for `seconds`, after the normal rate for as long, against a
 * model that takes 2 s per answer: more questions arrive than 16 workers get through, so the
 * queue grows. What must hold: every ack within Lark's 3 s (the queue lives in the store, not
 * in the ack path), memory bounded (peak RSS within 1.5× the normal rate's), the backlog
 * visible in the log and in /metrics, and every question answered once when the load ends.
 */
export async function overload(
  dir: string,
  settings: { seconds: number },
): Promise<ScenarioResult> {
  // Eight chunks 250 ms apart: a 2 s answer, as a real model's.
  const rig = await createRig(join(dir, "load"), "sqlite", { chunkDelayMs: 250 });
  const questions = new Map<string, string>();
  const problems: string[] = [];
  try {
    const gateway = await rig.start();
    const normal = await pushAtRate(
      rig,
      gateway,
      "normal",
      NORMAL_PER_S,
      settings.seconds,
      questions,
    );
    let peakQueued = 0;
    let peakAgeS = 0;
    let scraping = true;
    const scraper = (async () => {
      while (scraping) {
        const text = await scrape(rig, gateway).catch(() => "");
        peakQueued = Math.max(peakQueued, metric(text, 'larkgate_jobs{state="queued"}'));
        peakAgeS = Math.max(peakAgeS, metric(text, "larkgate_oldest_queued_job_age_seconds"));
        await sleep(1_000);
      }
    })();
    const heavy = await pushAtRate(
      rig,
      gateway,
      "overload",
      NORMAL_PER_S * OVERLOAD,
      settings.seconds,
      questions,
    );
    const drainStarted = performance.now();
    const drained = await until(allAnswered(rig.lark, questions), 300_000);
    const drainS = (performance.now() - drainStarted) / 1000;
    scraping = false;
    await scraper;
    await sleep(6_000);
    const { figures, problems: found } = await judgeRun(rig, questions);
    problems.push(...found);
    if (!drained) problems.push("questions still unanswered 5 minutes after the load ended");

    const worst = heavy.acks.at(-1) ?? 0;
    if (worst >= LARK_ACK_TIMEOUT_MS || heavy.retried > 0)
      problems.push(
        `acks under load: slowest ${Math.round(worst)} ms, ${heavy.retried} pushes not acknowledged at the first try (Lark waits 3 s)`,
      );
    const rssRatio = heavy.peakRssMb / normal.peakRssMb;
    if (rssRatio > MAX_RSS_RATIO)
      problems.push(`memory under load: peak RSS ${rssRatio.toFixed(2)}× the normal rate's`);
    const lines = logLines(gateway);
    const warned = lines.filter((l) => String(l.msg).startsWith("answers are falling behind"));
    const caughtUp = lines.some((l) => l.msg === "answers caught up with the questions");
    if (peakQueued === 0) problems.push("the backlog never showed in /metrics (larkgate_jobs)");
    if (warned.length === 0) problems.push("the backlog was never reported in the log");
    if (!caughtUp) problems.push("the log never said the answers caught up");

    const ms = (v: number) => `${Math.round(v)} ms`;
    return {
      name: `${OVERLOAD}× the normal push rate for ${settings.seconds} s`,
      faults: `${NORMAL_PER_S * OVERLOAD} pushes/s against a 2 s model and 16 workers`,
      injected: heavy.acks.length + heavy.retried,
      messages: questions.size,
      lost: figures.lost,
      duplicated: figures.duplicated,
      figures: {
        "ack p50 · p99 · max, normal rate": `${ms(percentile(normal.acks, 50))} · ${ms(percentile(normal.acks, 99))} · ${ms(normal.acks.at(-1) ?? 0)}`,
        "ack p50 · p99 · max, 10×": `${ms(percentile(heavy.acks, 50))} · ${ms(percentile(heavy.acks, 99))} · ${ms(worst)}`,
        "pushes re-sent under load": heavy.retried,
        "peak RSS normal · 10×": `${normal.peakRssMb.toFixed(0)} · ${heavy.peakRssMb.toFixed(0)} MB (${rssRatio.toFixed(2)}×, bound ${MAX_RSS_RATIO}×)`,
        "peak queued jobs (/metrics)": peakQueued,
        "peak wait before an answer starts": `${peakAgeS.toFixed(0)} s`,
        "backlog warnings in the log": warned.length,
        "drained after the load, s": Math.round(drainS * 10) / 10,
        "answered with the error notice instead": figures.failed,
      },
      problems,
      logFiles: rig.logFiles,
      secrets: { ...rig.secrets },
    };
  } finally {
    await rig.close();
  }
}

async function scrape(rig: Rig, gateway: ChildServer): Promise<string> {
  const response = await fetch(`${gateway.url}/metrics`, {
    headers: { authorization: `Bearer ${rig.secrets.metricsToken}` },
  });
  return response.text();
}

function metric(text: string, series: string): number {
  for (const line of text.split("\n")) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return 0;
}
