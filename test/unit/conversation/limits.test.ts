import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { admitQuestion } from "../../../src/conversation/admit-question.js";
import type { AppRuntime, BotRuntime } from "../../../src/conversation/bot-runtime.js";
import { limitCard } from "../../../src/conversation/limit-cards.js";
import type { QuestionLimits } from "../../../src/conversation/question-limits.js";
import { translator } from "../../../src/i18n/translate.js";
import { createStore } from "../../../src/store/create-store.js";
import type { Store } from "../../../src/store/store.js";

const at = (y: number, m: number, d: number, h = 0, min = 0) =>
  new Date(y, m - 1, d, h, min).getTime();

describe("the limit card", () => {
  it("says in Chinese which limit, when it resets and whom to ask", () => {
    const card = limitCard(
      {
        name: "tokens.userMonth",
        now: at(2026, 3, 14, 15),
        resetsAt: at(2026, 4, 1),
        contact: "IT 服务台",
      },
      translator("zh"),
    );
    expect(card.title).toBe("已达到使用上限");
    expect(card.body).toBe(
      "你本月的 token 额度已用完，这个问题没有发给模型。于 2026-04-01 00:00 恢复。\n\n如需更多额度，请联系 IT 服务台。",
    );
  });

  it("counts seconds for a per-minute limit", () => {
    const card = limitCard({ name: "perMinute.chat", now: 0, resetsAt: 12_300 }, translator("en"));
    expect(card.body).toBe(
      "You have reached this chat's requests per minute, so this question was not sent to the model. It resets in 13 seconds.",
    );
  });
});

describe("admitting a question", () => {
  let store: Store | undefined;
  afterEach(() => store?.close());

  const limits: QuestionLimits = {
    perMinute: {},
    budgets: [
      { measure: "tokens", period: "userDay", limit: 10_000 },
      { measure: "cost", period: "botMonth", limit: 5 },
    ],
  };
  const sent: string[] = [];
  const bot = {
    id: "b",
    language: "en",
    limitsFor: () => limits,
    replier: {
      card: async () => void sent.push("card"),
      notice: async () => void sent.push("notice"),
    },
  } as unknown as BotRuntime;
  const app = { prices: { m: { input: 1_000, output: 2_000 } } } as unknown as AppRuntime;
  const input = (messageId: string) => ({
    bot,
    app,
    target: { botId: "b", chatId: "oc_1", messageId, inThread: false, idempotencyKey: messageId },
    run: { attempt: 1 } as never,
    senderOpenId: "ou_1",
    promptTokens: 300,
    model: "m",
  });

  it("charges the reported tokens and their price, or the estimate, said to be one", async () => {
    store = await createStore("sqlite::memory:");
    const log = pino({ level: "silent" });
    const reported = await admitQuestion(input("om_1"), store, log);
    if ("refused" in reported) throw new Error("refused");
    const settle = reported.settle({
      failed: false,
      promptTokens: 400,
      completionTokens: 100,
      estimatedCompletion: 0,
    });
    await store.recordExchange(
      {
        botId: "b",
        conversationKey: "c",
        generation: 1,
        chatId: "oc_1",
        senderOpenId: "ou_1",
        messageId: "om_1",
        question: "q",
        answer: "a",
        model: "m",
        latencyMs: 1,
        status: "done",
      },
      undefined,
      undefined,
      settle,
    );
    const unreported = await admitQuestion(input("om_2"), store, log);
    if ("refused" in unreported) throw new Error("refused");
    // No usage from the backend: the prompt's estimate (300) and the answer's (50).
    const estimated = unreported.settle({ failed: false, estimatedCompletion: 50 });
    expect(estimated.find((s) => s.key.startsWith("tokens:"))).toMatchObject({
      delta: 50,
      estimated: 350,
    });
    // Price per million tokens: 400 × 1000 + 100 × 2000 = 0.6, reserved 300 × 1000 = 0.3.
    expect(settle.find((s) => s.key.startsWith("cost:"))?.delta).toBeCloseTo(0.3);
    expect(sent).toEqual([]);
  });
});
