import { afterEach, describe, expect, it, vi } from "vitest";
import { BackendError } from "../../src/backends/backend.js";
import { type AnswerPath, createAnswerPath, stallAfter } from "./harness.js";

let path: AnswerPath | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await path?.close();
  path = undefined;
});

describe("the answer path, in process", () => {
  it("streams deltas in order, records the exchange, and sends it back as history", async () => {
    path = await createAnswerPath();
    path.model.script(async function* () {
      yield { type: "text-delta", text: "Hello" };
      yield { type: "text-delta", text: ", Alice" };
      yield { type: "usage", promptTokens: 7, completionTokens: 3 };
    });
    const first = await path.answer("hi");
    const shown = path.shown.answers[0]!;
    expect(shown.snapshots.map((s) => s.text)).toEqual(["Hello", "Hello, Alice"]);
    expect(shown.final).toMatchObject({ text: "Hello, Alice", status: "done" });
    const [exchange] = await path.store.listExchanges({ botId: "bot", limit: 10 });
    expect(exchange).toMatchObject({ question: "hi", answer: "Hello, Alice", promptTokens: 7 });

    await path.answer("again", { chatId: first.chatId });
    expect(path.model.requests[1]!.history).toEqual([
      { role: "user", content: "hi" },
      { role: "assistant", content: "Hello, Alice" },
    ]);
  });

  it("ends a stalled stream at the app's timeout with the text so far and a notice", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    path = await createAnswerPath({ timeoutMs: 5_000 });
    path.model.script(stallAfter({ type: "text-delta", text: "half an ans" }));
    const done = path.answer("slow one");
    await path.shown.until(() => path!.shown.answers[0]?.snapshots.length === 1);
    await vi.advanceTimersByTimeAsync(5_000);
    await done;
    const final = path.shown.answers[0]!.final!;
    expect(final.status).toBe("error");
    expect(final.text).toBe("half an ans");
    expect(final.errorNotice).toMatch(/it took too long\)\. Reference: [0-9a-f]{8}/);
    const [exchange] = await path.store.listExchanges({ botId: "bot", limit: 10 });
    expect(exchange).toMatchObject({ error: "timeout", status: "error" });
    // The conversation is free: the next question is answered.
    await path.answer("next");
    expect(path.shown.answers[1]!.final?.status).toBe("done");
  });

  it("maps backend failures to the user's notice and the chat log's code", async () => {
    path = await createAnswerPath();
    const cases = [
      [new BackendError("auth", "refused"), "the gateway's API key was refused", "auth"],
      [new BackendError("rate_limited", "429"), "rate-limited", "rate_limited"],
      [new Error("socket hang up"), "the model service failed", "internal"],
    ] as const;
    for (const [error] of cases) {
      path.model.script(async function* () {
        yield* [];
        throw error;
      });
    }
    for (const [, notice, code] of cases) {
      await path.answer(`question for ${code}`);
      const final = path.shown.answers.at(-1)!.final!;
      expect(final.errorNotice).toContain(notice);
      // Nothing of the upstream message reaches the user.
      expect(final.errorNotice).not.toMatch(/refused$|429|socket/);
    }
    const log = await path.store.listExchanges({ botId: "bot", limit: 10 });
    expect(log.map((e) => e.error).sort()).toEqual(["auth", "internal", "rate_limited"]);
  });

  it("answers a command with a card and never asks the model", async () => {
    path = await createAnswerPath();
    await path.answer("/help");
    expect(path.shown.cards[0]!.card.title).toBe("What I can do");
    expect(path.model.requests).toHaveLength(0);
  });
});
