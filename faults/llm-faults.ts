import { join } from "node:path";
import { en } from "../src/i18n/en.js";
import { zh } from "../src/i18n/zh.js";
import type { LlmScript } from "../test/kit/fake-llm.js";
import { messageText } from "../test/kit/message-text.js";
import { createRig } from "./lib/rig.js";
import { type ScenarioResult, until } from "./lib/scenario.js";
import { judgeQuestion } from "./lib/verdict.js";

/** The start of the error notice in both languages: what marks an answer as cut. */
const NOTICE = [en["error.notice"], zh["error.notice"]].map((t) =>
  t.slice(0, t.indexOf("{reason}")).replace(/[(（]\s*$/, ""),
);

const TEN_MB = 10 * 1024 * 1024;

/** Each misbehaviour, keyed by the question that triggers it. */
const FAULTS: Record<string, { label: string; script: LlmScript }> = {
  "llm fault stall": {
    label: "stalls after 3 chunks (LLM_TIMEOUT_MS 4 s)",
    script: { chunks: ["one ", "two ", "three ", "never"], stallAfterChunks: 3 },
  },
  "llm fault drop": {
    label: "closes the stream after 3 chunks",
    script: { chunks: ["one ", "two ", "three ", "never"], dropAfterChunks: 3 },
  },
  "llm fault garbage": {
    label: "sends an event that is not JSON mid-stream",
    script: { chunks: ["one ", "two ", "three ", "four"], garbageAfterChunks: 2 },
  },
  "llm fault huge": {
    label: "answers 10 MB",
    script: {
      chunks: Array.from(
        { length: TEN_MB / 8192 },
        (_, i) => `${String(i).padStart(8, "0")} ${"x".repeat(8182)}\n`,
      ),
    },
  },
  "llm fault refuse": {
    label: "answers HTTP 500",
    script: { status: 500 },
  },
};

/**
 * The model misbehaving in each way a real one does. Each question must end with a complete
 * answer or one clearly marked as cut (the error notice), and the conversation must go on: the
 * next question in it gets a complete answer.
 */
export async function llmFaults(dir: string): Promise<ScenarioResult> {
  const rig = await createRig(join(dir, "llm"), "sqlite", {
    special: (question) => FAULTS[question]?.script,
  });
  const gateway = await rig.start({ LLM_TIMEOUT_MS: "4000" });
  const problems: string[] = [];
  const outcomes: Record<string, string> = {};
  let lost = 0;
  let duplicated = 0;
  let messages = 0;
  try {
    let user = 0;
    for (const [question, fault] of Object.entries(FAULTS)) {
      user++;
      const envelope = rig.message(question, 500 + user);
      const messageId = envelope.event.message.message_id;
      const started = performance.now();
      await rig.deliver(() => gateway, envelope);
      messages++;
      // Settled: every reply in its final form, and no new one for two seconds (a long answer
      // rolls over into several).
      let count = -1;
      let stableSince = performance.now();
      const settled = () => {
        const replies = rig.lark.messages.filter((m) => m.replyTo === messageId);
        if (replies.length !== count) {
          count = replies.length;
          stableSince = performance.now();
        }
        return (
          replies.length > 0 &&
          performance.now() - stableSince > 2_000 &&
          replies.every(
            (m) => !m.card || (m.card.streaming === false && m.card.fullUpdates.length > 0),
          )
        );
      };
      if (!(await until(settled, 300_000))) {
        problems.push(`${fault.label}: no final reply within 5 minutes`);
        lost++;
        continue;
      }
      const replies = rig.lark.messages.filter((m) => m.replyTo === messageId);
      const text = replies.map(messageText).join("\n");
      const marked = NOTICE.some((notice) => text.includes(notice));
      const seconds = ((stableSince - started) / 1000).toFixed(1);
      outcomes[fault.label] =
        `${marked ? "marked as cut" : "complete"} in ${seconds} s, ${replies.length} message(s), ${text.length} characters`;
      const last = fault.script.chunks?.at(-1)?.slice(0, 12);
      const whole = last !== undefined && text.includes(last);
      if (!marked && !whole)
        problems.push(`${fault.label}: cut without saying so (${text.length} characters shown)`);
      // The conversation is not stuck: the next question is answered completely.
      const next = rig.message(`after ${question}`, 500 + user);
      await rig.deliver(() => gateway, next);
      messages++;
      const ok = await until(
        () =>
          judgeQuestion(rig.lark, next.event.message.message_id, `after ${question}`).complete ===
          1,
        60_000,
      );
      if (!ok) {
        problems.push(`${fault.label}: the next question was not answered`);
        lost++;
      }
      const verdict = judgeQuestion(rig.lark, next.event.message.message_id, `after ${question}`);
      duplicated += Math.max(0, verdict.complete - 1);
    }
    return {
      name: "the model stalling, cutting off, sending garbage, 10 MB, failing",
      faults: `${Object.keys(FAULTS).length} misbehaviours`,
      injected: Object.keys(FAULTS).length,
      messages,
      lost,
      duplicated,
      figures: outcomes,
      problems,
      logFiles: rig.logFiles,
      secrets: { ...rig.secrets },
    };
  } finally {
    await rig.close();
  }
}
