import type { Logger } from "pino";
import { translator } from "../i18n/translate.js";
import type { JobRun } from "../intake/job-run.js";
import type { Settlement, Store } from "../store/store.js";
import type { AppRuntime, BotRuntime } from "./bot-runtime.js";
import { expiredText, limitCard } from "./limit-cards.js";
import type { ReplyTarget } from "./ports.js";
import { hasLimits, type Measure, rulesFor } from "./question-limits.js";

export interface AdmitInput {
  bot: BotRuntime;
  app: AppRuntime;
  target: ReplyTarget;
  run: JobRun;
  senderOpenId: string;
  /** The prompt's estimated tokens (question and history), reserved until the model reports. */
  promptTokens: number;
  model: string;
}

/** What the answer used, for settling what admission reserved. */
export interface AnswerUse {
  failed: boolean;
  promptTokens?: number | undefined;
  completionTokens?: number | undefined;
  /** The answer's estimated tokens, for a backend that reports no usage. */
  estimatedCompletion: number;
}

export type Admitted = { settle(use: AnswerUse): Settlement[] };

/** What an admitted question without limits settles: nothing. */
const UNLIMITED: Admitted = { settle: () => [] };

/**
 * Checks a question against the bot's limits before it goes to the model. Refused: the user
 * is told which limit and when it resets (or the expiry notice), and the refusal is recorded
 * in the chat log with its reason, finishing the job; returns undefined. Admitted: returns
 * how to settle the reservation with what the answer used.
 */
export async function admitQuestion(
  input: AdmitInput,
  store: Store,
  log: Logger,
): Promise<Admitted | { refused: string }> {
  const { bot, app, target } = input;
  const limits = bot.limitsFor?.(target.chatId, input.senderOpenId);
  if (!limits || !hasLimits(limits)) return UNLIMITED;
  const price = app.prices?.[input.model];
  const rules = rulesFor(
    limits,
    { botId: bot.id, chatId: target.chatId, userOpenId: input.senderOpenId },
    {
      questions: 1,
      tokens: Math.max(1, input.promptTokens),
      cost: price ? (input.promptTokens * price.input) / 1_000_000 : undefined,
    },
  );
  const admission = await store.admit({
    rules,
    // A retried job (its replica died mid-answer) was admitted already; a regeneration is a
    // job of its own, so it is counted like a new question.
    onceKey: `limits:${bot.id}:${input.run.id}:${target.messageId}`,
    ...(limits.expires !== undefined ? { notAfter: limits.expires } : {}),
  });
  const say = translator(bot.language);
  if (!admission.admitted) {
    if (admission.refused === "expired") {
      log.info("refused: the bot's access has expired");
      await bot.replier.notice(target, limits.expiredNotice ?? expiredText(say));
      return { refused: "expired" };
    }
    const rule = rules.find((r) => r.key === admission.key);
    const name = rule?.name ?? "limit";
    log.info(
      { limit: name, resetsInMs: admission.resetsAt - admission.now },
      "refused: over a limit",
    );
    await bot.replier.card(
      target,
      limitCard(
        { name, resetsAt: admission.resetsAt, now: admission.now, contact: limits.contact },
        say,
      ),
    );
    return { refused: `limit:${name}` };
  }
  const held = new Map(admission.held.map((h) => [h.key, h]));
  return {
    settle: (use) =>
      rules.flatMap((rule) => {
        const reserved = rule.kind === "budget" ? held.get(rule.key) : undefined;
        if (!reserved || rule.kind !== "budget") return [];
        const used = usedOf(rule.measure, use, price, input.promptTokens);
        return [
          {
            key: rule.key,
            windowStart: reserved.windowStart,
            delta: used.amount - reserved.delta,
            ...(used.estimated ? { estimated: used.amount } : {}),
          },
        ];
      }),
  };
}

/** What an answer used of a rule's measure; estimated when the backend did not report. */
function usedOf(
  measure: Measure,
  use: AnswerUse,
  price: { input: number; output: number } | undefined,
  promptEstimate: number,
): { amount: number; estimated: boolean } {
  // A failed answer is not counted as a question, as in `/usage`.
  if (measure === "questions") return { amount: use.failed ? 0 : 1, estimated: false };
  const reported = use.promptTokens !== undefined || use.completionTokens !== undefined;
  const prompt = reported ? (use.promptTokens ?? 0) : use.failed ? 0 : promptEstimate;
  const completion = reported
    ? (use.completionTokens ?? 0)
    : use.failed
      ? 0
      : use.estimatedCompletion;
  const estimated = !reported && !use.failed;
  if (measure === "tokens") return { amount: prompt + completion, estimated };
  const cost = price ? (prompt * price.input + completion * price.output) / 1_000_000 : 0;
  return { amount: cost, estimated };
}
