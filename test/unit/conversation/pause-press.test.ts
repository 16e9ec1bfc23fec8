import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { pressPause } from "../../../src/conversation/pause-press.js";
import { translator } from "../../../src/i18n/translate.js";
import { createIntake } from "../../../src/intake/intake.js";
import { createStore } from "../../../src/store/create-store.js";
import type { Store } from "../../../src/store/store.js";

/** The ack path of a pause card, on a real SQLite store: what a late or foreign press gets. */
describe("pressing a workflow's pause card", () => {
  let store: Store;
  afterEach(() => store?.close());

  const setUp = async () => {
    store = await createStore("sqlite::memory:");
    const { generation } = await store.getConversation("bot", "p2p:oc_1");
    await store.savePause({
      id: "p1",
      botId: "bot",
      conversationKey: "p2p:oc_1",
      generation,
      chatId: "oc_1",
      messageId: "om_q",
      ownerOpenId: "ou_alice",
      spec: { kind: "select", options: [{ label: "Room A" }] },
      createdAt: 1_000,
      expiresAt: 10_000,
    });
    return { store, intake: createIntake({ store }), logger: pino({ level: "silent" }) };
  };
  const pick = { action: "pause_pick" as const, param: "p1", ref: "0" };
  const by = (operatorOpenId: string) => ({ botId: "bot", operatorOpenId, value: {} });

  it("says a press after the pause expired is too late, in the bot's language, and queues nothing", async () => {
    const ctx = await setUp();
    const late = await pressPause("bot", pick, by("ou_alice"), {
      ...ctx,
      say: translator("zh"),
      now: () => 10_000,
    });
    expect(late.toast?.content).toBe(translator("zh")("toast.pause_expired"));
    expect((await store.jobCounts()).queued).toBe(0);
  });

  it("queues the answer once for a press in time, and refuses an option the card no longer has", async () => {
    const ctx = await setUp();
    const say = translator("en");
    const bad = await pressPause("bot", { ...pick, ref: "7" }, by("ou_alice"), {
      ...ctx,
      say,
      now: () => 9_999,
    });
    expect(bad.toast?.content).toBe(say("toast.pause_choice"));
    const ok = await pressPause("bot", pick, by("ou_alice"), { ...ctx, say, now: () => 9_999 });
    expect(ok.toast?.content).toBe(say("toast.pause_sent"));
    expect(ok.card?.body).toContain("Room A");
    const again = await pressPause("bot", pick, by("ou_alice"), { ...ctx, say, now: () => 9_999 });
    expect(again.toast?.content).toBe(say("toast.pause_answered"));
    expect((await store.jobCounts()).queued).toBe(1);
  });
});
