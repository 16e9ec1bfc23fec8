import { afterEach, describe, expect, it } from "vitest";
import { assembleHistory } from "../../../src/conversation/assemble-history.js";
import { createStore } from "../../../src/store/create-store.js";
import type { Store } from "../../../src/store/store.js";

describe("assembleHistory", () => {
  let store: Store;
  afterEach(() => store?.close());

  async function conversation(turns: number, size: number): Promise<void> {
    store = await createStore("sqlite::memory:");
    for (let i = 0; i < turns; i++) {
      await store.recordExchange({
        botId: "b",
        conversationKey: "p2p:oc_1",
        generation: 1,
        chatId: "oc_1",
        senderOpenId: "ou_1",
        messageId: `om_${i}`,
        question: `q${i} ${"x".repeat(size)}`,
        answer: `a${i} ${"y".repeat(size)}`,
        model: "m",
        latencyMs: 1,
        status: "done",
      });
    }
  }

  it("fills the budget with short exchanges beyond the first window", async () => {
    await conversation(300, 4);
    const history = await assembleHistory(store, "b", "p2p:oc_1", 1, 4000);
    // 50 exchanges is the first window for 4,000 tokens; short ones all fit, so it widens.
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

  it("sends nothing with a zero budget", async () => {
    await conversation(3, 4);
    expect(await assembleHistory(store, "b", "p2p:oc_1", 1, 0)).toEqual([]);
  });
});
