import { afterEach, describe, expect, it } from "vitest";
import type { ChatTurn } from "../../../src/backends/backend.js";
import { assembleHistory } from "../../../src/conversation/assemble-history.js";
import { createStore } from "../../../src/store/create-store.js";
import type { Store } from "../../../src/store/store.js";
import { trimHistory } from "./trim-history.js";

describe("assembleHistory", () => {
  let store: Store;
  afterEach(() => store?.close());

  /** `size` is the padding of each question and answer, or a function of the exchange's index. */
  async function conversation(turns: number, size: number | ((i: number) => number)) {
    store = await createStore("sqlite::memory:");
    const pad = typeof size === "number" ? () => size : size;
    for (let i = 0; i < turns; i++) {
      await store.recordExchange({
        botId: "b",
        conversationKey: "p2p:oc_1",
        generation: 1,
        chatId: "oc_1",
        senderOpenId: "ou_1",
        messageId: `om_${i}`,
        question: `q${i} ${"x".repeat(pad(i))}`,
        answer: `a${i} ${"y".repeat(pad(i))}`,
        model: "m",
        latencyMs: 1,
        status: "done",
      });
    }
  }

  it("fills the budget with short exchanges beyond the first window", async () => {
    await conversation(300, 4);
    const history = await assembleHistory(store, "b", "p2p:oc_1", 1, 4000);
    // 50 exchanges is the first page for 4,000 tokens; short ones all fit, so it pages back.
    expect(history.length / 2).toBeGreaterThan(50);
    expect(history.at(-1)!.content).toMatch(/^a299/);
  });

  it("keeps only the newest long exchanges that fit", async () => {
    await conversation(100, 800);
    const history = await assembleHistory(store, "b", "p2p:oc_1", 1, 4000);
    expect(history.length).toBeGreaterThan(0);
    expect(history.length / 2).toBeLessThan(20);
    expect(history[0]!.role).toBe("user");
    expect(history.at(-1)!.content).toMatch(/^a99/);
  });

  it("keeps exactly the exchanges that fit, across pages, reading each row once", async () => {
    // Sizes vary so that page boundaries fall mid-budget and early guesses are wrong.
    await conversation(600, (i) => [2, 40, 7, 150, 0, 90][i % 6]! + (i % 13));
    const everything = (await store.loadHistory("b", "p2p:oc_1", 1, { limit: 1000 }))
      .toReversed()
      .flatMap((e): ChatTurn[] => [
        { role: "user", content: e.question },
        { role: "assistant", content: e.answer },
      ]);
    const read: number[] = [];
    const counting: Store = {
      ...store,
      async loadHistory(...args) {
        const page = await store.loadHistory(...args);
        read.push(...page.map((e) => e.id));
        return page;
      },
    };
    for (const budget of [30, 500, 4000, 9000, 20_000]) {
      read.length = 0;
      const history = await assembleHistory(counting, "b", "p2p:oc_1", 1, budget);
      // The 20,000-token budget would take more than the 400 exchanges history is capped at.
      expect(history).toEqual(trimHistory(everything.slice(-2 * 400), budget));
      expect(new Set(read).size).toBe(read.length);
    }
  });

  it("stops at 400 exchanges however large the budget", async () => {
    await conversation(450, 0);
    const history = await assembleHistory(store, "b", "p2p:oc_1", 1, 1_000_000);
    expect(history.length / 2).toBe(400);
    expect(history[0]!.content).toMatch(/^q50 /);
    expect(history.at(-1)!.content).toMatch(/^a449 /);
  });

  it("sends nothing with a zero budget", async () => {
    await conversation(3, 4);
    expect(await assembleHistory(store, "b", "p2p:oc_1", 1, 0)).toEqual([]);
  });
});
