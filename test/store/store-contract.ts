import { afterEach, describe, expect, it } from "vitest";
import { createStore } from "../../src/store/create-store.js";
import { JobNotHeldError, type NewExchange, type Store } from "../../src/store/store.js";
import { runWorkers } from "./run-workers.js";
import { newExchange, newJob } from "./store-fixtures.js";

export interface StoreContractOptions {
  /** False for `sqlite::memory:`, whose data does not outlive the store. Default true. */
  persistent?: boolean;
}

/**
 * The behaviour every `Store` backend must show. `makeUrl` returns the URL of a fresh, empty
 * database each time it is called (a new file, a new PostgreSQL schema…).
 */
export function describeStoreContract(
  name: string,
  makeUrl: () => Promise<string> | string,
  options: StoreContractOptions = {},
): void {
  describe(`Store contract: ${name}`, () => {
    const open: Store[] = [];
    const openStore = async (url?: string): Promise<Store> => {
      const store = await createStore(url ?? (await makeUrl()));
      open.push(store);
      return store;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((store) => store.close()));
    });

    describe("workflow pauses", () => {
      const pause = (id: string, conversationKey = "p2p:oc_1") => ({
        id,
        botId: "bot",
        conversationKey,
        generation: 0,
        chatId: "oc_1",
        messageId: `om_${id}`,
        ownerOpenId: "ou_alice",
        spec: { kind: "select", options: [{ label: "Room A" }] },
        createdAt: 1_000,
        expiresAt: 9_000,
      });

      it("keeps a pause once, lets one caller answer it, and closes a conversation's others", async () => {
        const store = await openStore();
        await store.savePause(pause("a"));
        await store.savePause({ ...pause("a"), ownerOpenId: "ou_mallory" });
        await store.savePause(pause("b"));
        await store.savePause(pause("c", "p2p:oc_2"));
        expect(await store.getPause("bot", "a")).toEqual({
          ...pause("a"),
          status: "pending",
          answeredBy: null,
        });
        expect(await store.getPause("other-bot", "a")).toBeUndefined();

        const tries = await Promise.all([
          store.answerPause("bot", "a", "ou_alice"),
          store.answerPause("bot", "a", "ou_alice"),
        ]);
        expect(tries.filter(Boolean)).toHaveLength(1);
        expect((await store.getPause("bot", "a"))?.answeredBy).toBe("ou_alice");

        expect(await store.closePauses("bot", "p2p:oc_1")).toBe(1);
        expect((await store.getPause("bot", "b"))?.status).toBe("closed");
        expect((await store.getPause("bot", "a"))?.status).toBe("answered");
        expect((await store.getPause("bot", "c"))?.status).toBe("pending");
        expect(await store.answerPause("bot", "b", "ou_alice")).toBe(false);

        // Expired ones go with the upkeep, the others stay.
        await store.savePause({ ...pause("late"), expiresAt: 20_000 });
        expect(await store.prunePauses(10_000, { dryRun: true })).toBe(3);
        expect(await store.prunePauses(10_000, { batch: 1 })).toBe(3);
        expect(await store.getPause("bot", "late")).toBeDefined();
        expect(await store.getPause("bot", "a")).toBeUndefined();
      });
    });

    describe("the console's chat log", () => {
      it("finds exchanges by a word of the question or answer, any case, newest first, in pages", async () => {
        const store = await openStore();
        const at = (n: number) => 1_700_000_000_000 + n * 1000;
        await store.recordExchange(
          newExchange({ question: "Where is Paris?", answer: "In FRANCE." }),
          at(1),
        );
        await store.recordExchange(
          newExchange({ question: "And 100% sure?", answer: "Yes." }),
          at(2),
        );
        await store.recordExchange(
          newExchange({ question: "france again", answer: "", status: "error", error: "timeout" }),
          at(3),
        );
        await store.recordExchange(newExchange({ botId: "other", question: "France?" }), at(4));

        const france = await store.searchChatLog({ text: "France", botId: "bot", limit: 10 });
        expect(france.map((e) => e.question)).toEqual(["france again", "Where is Paris?"]);
        // LIKE's wildcards in the words are the characters themselves.
        const percent = await store.searchChatLog({ text: "100%", limit: 10 });
        expect(percent.map((e) => e.question)).toEqual(["And 100% sure?"]);
        expect(await store.searchChatLog({ text: "_", limit: 10 })).toEqual([]);

        const errors = await store.searchChatLog({ errorsOnly: true, limit: 10 });
        expect(errors.map((e) => e.error)).toEqual(["timeout"]);
        const first = await store.searchChatLog({ limit: 2 });
        expect(first.map((e) => e.question)).toEqual(["France?", "france again"]);
        const next = await store.searchChatLog({ limit: 2, beforeId: first[1]!.id });
        expect(next.map((e) => e.question)).toEqual(["And 100% sure?", "Where is Paris?"]);
        expect(await store.searchChatLog({ since: at(2), until: at(3), limit: 10 })).toHaveLength(
          1,
        );
      });

      it("searches Chinese and the middle of words, and forgets pruned exchanges", async () => {
        const store = await openStore();
        await store.recordExchange(
          newExchange({ question: "今天北京的天气怎么样", answer: "晴" }),
          1_000,
        );
        await store.recordExchange(newExchange({ question: "unbelievable", answer: "ok" }), 2_000);
        const found = async (text: string) =>
          (await store.searchChatLog({ text, limit: 10 })).map((e) => e.question);
        expect(await found("北京的天")).toEqual(["今天北京的天气怎么样"]);
        expect(await found("北京")).toEqual(["今天北京的天气怎么样"]);
        expect(await found("BELIEV")).toEqual(["unbelievable"]);
        await store.pruneChatLog(1_500);
        expect(await found("北京的天")).toEqual([]);
        expect(await found("BELIEV")).toEqual(["unbelievable"]);
      });

      it("sums usage per bot, model and UTC day, with latency percentiles of the answers", async () => {
        const store = await openStore();
        const day = Date.parse("2026-03-01T10:00:00Z");
        for (const [latencyMs, tokens] of [
          [100, 10],
          [200, 20],
          [900, 30],
        ] as const) {
          await store.recordExchange(
            newExchange({ latencyMs, promptTokens: tokens, completionTokens: 1 }),
            day,
          );
        }
        await store.recordExchange(newExchange({ status: "error", error: "x", latencyMs: 5 }), day);
        await store.recordExchange(newExchange({ latencyMs: 50 }), day + 86_400_000);
        const rows = await store.usageByDay(day - 3600_000);
        expect(rows).toEqual([
          {
            botId: "bot",
            model: "gpt-test",
            day: "2026-03-01",
            answers: 3,
            errors: 1,
            tokens: 63,
            p50LatencyMs: 200,
            p95LatencyMs: 900,
          },
          {
            botId: "bot",
            model: "gpt-test",
            day: "2026-03-02",
            answers: 1,
            errors: 0,
            tokens: 0,
            p50LatencyMs: 50,
            p95LatencyMs: 50,
          },
        ]);
      });
    });

    describe("pending files", () => {
      it("gives waiting files to one question only, keeps what it took, and lets old ones expire", async () => {
        const store = await openStore();
        const file = (id: string) => ({
          messageId: `om_${id}`,
          key: `file_${id}`,
          name: `${id}.pdf`,
        });
        await store.holdFiles("bot", "p2p:oc_1", [file("old")], { now: 1_000, expireBefore: 0 });
        await store.holdFiles("bot", "p2p:oc_1", [file("a"), file("b")], {
          now: 5_000,
          expireBefore: 0,
        });
        await store.holdFiles("bot", "p2p:oc_2", [file("other")], { now: 5_000, expireBefore: 0 });

        expect(await store.takeHeldFiles("bot", "p2p:oc_1", "om_q1", 2_000)).toEqual([
          file("a"),
          file("b"),
        ]);
        expect(await store.takeHeldFiles("bot", "p2p:oc_1", "om_q2", 2_000)).toEqual([]);
        expect(await store.filesTakenBy("bot", "om_q1")).toEqual([file("a"), file("b")]);
        expect(await store.filesTakenBy("other-bot", "om_q1")).toEqual([]);

        // Holding more deletes what expired in that conversation (the old one was never taken).
        await store.holdFiles("bot", "p2p:oc_1", [], { now: 9_000, expireBefore: 2_000 });
        expect(await store.takeHeldFiles("bot", "p2p:oc_1", "om_q3", 0)).toEqual([]);
        expect(await store.takeHeldFiles("bot", "p2p:oc_2", "om_q4", 0)).toEqual([file("other")]);
      });

      it("prunes file rows nobody took past their wait, and taken ones past their keep", async () => {
        const store = await openStore();
        const file = (id: string) => ({ messageId: `om_${id}`, key: `f_${id}`, name: `${id}.csv` });
        const hold = (conversation: string, id: string, now: number) =>
          store.holdFiles("bot", conversation, [file(id)], { now, expireBefore: 0 });
        await hold("p2p:oc_a", "stale", 1_000);
        await hold("p2p:oc_b", "waiting", 8_000);
        await hold("p2p:oc_c", "old-taken", 1_000);
        await hold("p2p:oc_d", "taken", 3_000);
        await store.takeHeldFiles("bot", "p2p:oc_c", "om_q_old", 0);
        await store.takeHeldFiles("bot", "p2p:oc_d", "om_q_new", 0);

        // Waiting rows before 5 000 and taken rows before 2 000: the stale and the old-taken one.
        expect(await store.prunePendingFiles(5_000, 2_000, { dryRun: true })).toBe(2);
        expect(await store.prunePendingFiles(5_000, 500, { batch: 1 })).toBe(1);
        expect(await store.prunePendingFiles(5_000, 2_000)).toBe(1);
        expect(await store.takeHeldFiles("bot", "p2p:oc_a", "om_q1", 0)).toEqual([]);
        expect(await store.takeHeldFiles("bot", "p2p:oc_b", "om_q2", 0)).toEqual([file("waiting")]);
        expect(await store.filesTakenBy("bot", "om_q_old")).toEqual([]);
        expect(await store.filesTakenBy("bot", "om_q_new")).toEqual([file("taken")]);
        expect(await store.prunePendingFiles(5_000, 4_000)).toBe(1);
        expect(await store.filesTakenBy("bot", "om_q_new")).toEqual([]);
      });
    });

    describe("dedup", () => {
      it("accepts an event once and enqueues nothing for its redelivery", async () => {
        const store = await openStore();
        const job = newJob("chat-a", { text: "hi" });
        expect(await store.acceptJob(job, ["event:e1", "message:m1"])).toBe("accepted");
        // Lark redelivers the same message under a new event id.
        expect(await store.acceptJob(job, ["event:e2", "message:m1"])).toBe("duplicate");

        expect((await store.claimJob("w1", 60_000))?.payload).toEqual({ text: "hi" });
        expect(await store.claimJob("w2", 60_000)).toBeUndefined();
      });

      it("accepts one of several simultaneous deliveries of the same event", async () => {
        const store = await openStore();
        const outcomes = await Promise.all([
          store.acceptJob(newJob("chat-a", "same"), ["event:s1", "message:s1"]),
          store.acceptJob(newJob("chat-b", "other"), ["event:o1", "message:o1"]),
          store.acceptJob(newJob("chat-a", "same"), ["event:s2", "message:s1"]),
          store.acceptJob(newJob("chat-a", "same"), ["event:s1", "message:s1"]),
        ]);
        expect(outcomes.filter((o) => o === "accepted")).toHaveLength(2);
        expect(outcomes[1]).toBe("accepted");
        const claimed = [await store.claimJob("w1", 60_000), await store.claimJob("w2", 60_000)];
        expect(claimed.map((job) => job?.payload).sort()).toEqual(["other", "same"]);
        expect(await store.claimJob("w3", 60_000)).toBeUndefined();
      });

      it("rolls back every key of a duplicate, so its fresh keys stay unused", async () => {
        const store = await openStore();
        await store.acceptJob(newJob("chat-a"), ["message:m1"]);
        expect(await store.acceptJob(newJob("chat-a"), ["event:e2", "message:m1"])).toBe(
          "duplicate",
        );
        expect(await store.acceptJob(newJob("chat-a"), ["event:e2"])).toBe("accepted");
      });

      it.skipIf(options.persistent === false)(
        "remembers keys after the store is closed and reopened",
        async () => {
          const url = await makeUrl();
          const first = await createStore(url);
          await first.acceptJob(newJob("chat-a"), ["event:e1"]);
          await first.close();

          const reopened = await openStore(url);
          expect(await reopened.acceptJob(newJob("chat-a"), ["event:e1"])).toBe("duplicate");
        },
      );
    });

    describe("markers", () => {
      it("remembers a marker, twice without error, and forgets it with the dedup keys", async () => {
        const store = await openStore();
        const now = Date.now();
        expect(await store.hasKey("recalled:default:om_1")).toBe(false);
        await store.rememberKey("recalled:default:om_1", now - 10_000);
        await store.rememberKey("recalled:default:om_1", now);
        expect(await store.hasKey("recalled:default:om_1")).toBe(true);
        expect(await store.hasKey("recalled:default:om_2")).toBe(false);
        await store.prune(now - 5_000);
        expect(await store.hasKey("recalled:default:om_1")).toBe(false);
      });
    });

    describe("claiming", () => {
      it("hands out jobs oldest first with lease and attempt set", async () => {
        const store = await openStore();
        await store.acceptJob(newJob("chat-a", 1), ["k1"], 1_000);
        await store.acceptJob(newJob("chat-b", 2), ["k2"], 1_001);

        const first = await store.claimJob("w1", 30_000, 5_000);
        expect(first).toMatchObject({
          botId: "bot",
          kind: "message",
          conversationKey: "chat-a",
          payload: 1,
          status: "running",
          attempts: 1,
          leaseOwner: "w1",
          leaseUntil: 35_000,
          createdAt: 1_000,
          error: null,
        });
        expect((await store.claimJob("w1", 30_000, 5_000))?.payload).toBe(2);
        expect(await store.getJob(first!.id)).toEqual(first);
      });

      it("runs one job per conversation at a time, in order", async () => {
        const store = await openStore();
        await store.acceptJob(newJob("chat-a", "a1"), ["k1"]);
        await store.acceptJob(newJob("chat-a", "a2"), ["k2"]);
        await store.acceptJob(newJob("chat-b", "b1"), ["k3"]);

        const a1 = await store.claimJob("w1", 60_000);
        expect(a1?.payload).toBe("a1");
        // a2 waits for a1; the other conversation goes ahead.
        expect((await store.claimJob("w2", 60_000))?.payload).toBe("b1");
        expect(await store.claimJob("w3", 60_000)).toBeUndefined();

        // A failed job releases its conversation just like a done one.
        expect(await store.finishJob(a1!.id, "w1", "failed", "backend_timeout")).toBe(true);
        expect(await store.getJob(a1!.id)).toMatchObject({
          status: "failed",
          error: "backend_timeout",
        });
        expect((await store.claimJob("w3", 60_000))?.payload).toBe("a2");
      });

      it("keeps conversations apart per bot", async () => {
        const store = await openStore();
        await store.acceptJob({ ...newJob("chat-a", 1), botId: "bot-1" }, ["k1"]);
        await store.acceptJob({ ...newJob("chat-a", 2), botId: "bot-2" }, ["k2"]);
        expect((await store.claimJob("w1", 60_000))?.botId).toBe("bot-1");
        expect((await store.claimJob("w2", 60_000))?.botId).toBe("bot-2");
      });

      it("never gives two concurrent workers the same job or conversation", async () => {
        const store = await openStore();
        const conversations = 5;
        const jobs = 40;
        for (let i = 0; i < jobs; i++) {
          await store.acceptJob(newJob(`chat-${i % conversations}`, i), [`k${i}`]);
        }
        const result = await runWorkers([store, store, store], jobs);
        expect(result.violations).toEqual([]);
        expect(result.claimed).toHaveLength(jobs);
        expect(new Set(result.claimed).size).toBe(jobs);
      });
    });

    describe("leases", () => {
      it("lets another worker take over a job whose owner stopped renewing", async () => {
        const store = await openStore();
        await store.acceptJob(newJob("chat-a", "a1"), ["k1"], 0);
        await store.acceptJob(newJob("chat-a", "a2"), ["k2"], 0);
        const job = await store.claimJob("w1", 1_000, 10_000);

        expect(await store.claimJob("w2", 1_000, 10_500)).toBeUndefined();
        // Expired: the same job comes back (not a2, which must wait its turn).
        const retaken = await store.claimJob("w2", 1_000, 11_001);
        expect(retaken).toMatchObject({ id: job!.id, attempts: 2, leaseOwner: "w2" });

        expect(await store.renewLeases([{ jobId: job!.id, owner: "w1" }], 1_000, 11_002)).toEqual(
          [],
        );
        expect(await store.finishJob(job!.id, "w1", "done")).toBe(false);
        expect((await store.getJob(job!.id))?.status).toBe("running");
        expect(await store.finishJob(job!.id, "w2", "done")).toBe(true);
        expect(await store.finishJob(job!.id, "w2", "done")).toBe(false);
      });

      it("hands the abandoned run's delivery to the worker that takes the job over", async () => {
        const store = await openStore();
        await store.acceptJob(newJob("chat-a", "a1"), ["k1"], 0);
        const job = await store.claimJob("w1", 1_000, 10_000);
        expect(job!.delivery).toBeNull();
        await store.recordDelivery(job!.id, "w1", {
          transport: "cardkit",
          messageId: "om_1",
          cardId: "c1",
        });
        // Only the lease holder may record it.
        await store.recordDelivery(job!.id, "w9", { messageId: "om_forged" });
        const retaken = await store.claimJob("w2", 1_000, 11_001);
        expect(retaken!.delivery).toEqual({
          transport: "cardkit",
          messageId: "om_1",
          cardId: "c1",
        });
      });

      it("keeps a renewed lease alive past its first deadline", async () => {
        const store = await openStore();
        await store.acceptJob(newJob("chat-a"), ["k1"], 0);
        const job = await store.claimJob("w1", 1_000, 10_000);
        expect(await store.renewLeases([{ jobId: job!.id, owner: "w1" }], 1_000, 10_900)).toEqual([
          job!.id,
        ]);
        expect((await store.getJob(job!.id))?.leaseUntil).toBe(11_900);

        expect(await store.claimJob("w2", 1_000, 11_500)).toBeUndefined();
        expect((await store.claimJob("w2", 1_000, 11_901))?.id).toBe(job!.id);
      });

      it("counts a lease set before the clock jumped back by hours as expired", async () => {
        const store = await openStore();
        const before = 20_000_000;
        await store.acceptJob(newJob("chat-a", "a1"), ["k1"], 0);
        const job = await store.claimJob("w1", 1_000, before);
        // The clock is 3 h behind now (an NTP step, a VM restored from a snapshot): the lease
        // would look live for 3 h, and a dead owner's job would wait that long.
        const back = before - 3 * 60 * 60 * 1000;
        const retaken = await store.claimJob("w2", 1_000, back);
        expect(retaken).toMatchObject({ id: job!.id, attempts: 2, leaseOwner: "w2" });
        // Its new lease is set with that clock, and live by it.
        expect(await store.claimJob("w3", 1_000, back + 500)).toBeUndefined();
      });

      it("never claims back a job the caller says its runs hold, however late its clock", async () => {
        const store = await openStore();
        await store.acceptJob(newJob("chat-a", "a1"), ["k1"], 0);
        const job = await store.claimJob("w1/1", 1_000, 10_000);
        // The worker's clock jumped forward an hour: its own lease looks expired to it.
        const later = 10_000 + 60 * 60 * 1000;
        expect(await store.claimJob("w1/2", 1_000, later, { exclude: [job!.id] })).toBeUndefined();
        // Another worker (whose owner died, as far as that clock says) may take it.
        expect((await store.claimJob("w2/1", 1_000, later))?.id).toBe(job!.id);
      });

      it("renews many runs' leases in one call, and only those each run still holds", async () => {
        const store = await openStore();
        await store.acceptJob(newJob("chat-a"), ["k1"], 0);
        await store.acceptJob(newJob("chat-b"), ["k2"], 0);
        await store.acceptJob(newJob("chat-c"), ["k3"], 0);
        const a = await store.claimJob("w1/1", 1_000, 10_000);
        const b = await store.claimJob("w1/2", 1_000, 10_000);
        const c = await store.claimJob("w2/1", 1_000, 10_000);
        const renewed = await store.renewLeases(
          [
            { jobId: a!.id, owner: "w1/1" },
            { jobId: b!.id, owner: "w1/2" },
            { jobId: c!.id, owner: "w1/3" }, // not its owner
          ],
          1_000,
          10_500,
        );
        expect(renewed.sort()).toEqual([a!.id, b!.id].sort());
        expect((await store.getJob(a!.id))?.leaseUntil).toBe(11_500);
        expect((await store.getJob(c!.id))?.leaseUntil).toBe(11_000);
        expect(await store.renewLeases([], 1_000, 10_600)).toEqual([]);
      });

      it("extends an expired lease nobody took over, and never one that was", async () => {
        const store = await openStore();
        await store.acceptJob(newJob("chat-a"), ["k1"], 0);
        const job = await store.claimJob("w1/1", 1_000, 10_000);
        // The run stalled past its deadline, but no one claimed the job: it may go on.
        expect(await store.renewLeases([{ jobId: job!.id, owner: "w1/1" }], 1_000, 11_100)).toEqual(
          [job!.id],
        );
        expect(await store.claimJob("w2/1", 1_000, 11_200)).toBeUndefined();
        // Stalled again, and this time the job was claimed (even by the same worker, as a new
        // run): the old run's renewal is refused.
        expect(await store.claimJob("w1/2", 1_000, 12_200)).toMatchObject({
          id: job!.id,
          attempts: 2,
        });
        expect(await store.renewLeases([{ jobId: job!.id, owner: "w1/1" }], 1_000, 12_300)).toEqual(
          [],
        );
        expect(await store.finishJob(job!.id, "w1/1", "done")).toBe(false);
      });
    });

    describe("conversations", () => {
      it("starts at generation 1 and merges backend state", async () => {
        const store = await openStore();
        expect(await store.getConversation("bot", "chat-a")).toEqual({
          botId: "bot",
          conversationKey: "chat-a",
          generation: 1,
          backendState: {},
          settings: {},
        });
        await store.updateBackendState("bot", "chat-a", { conversationId: "c1", user: "u" });
        await store.updateBackendState("bot", "chat-a", { conversationId: "c2" });
        expect((await store.getConversation("bot", "chat-a")).backendState).toEqual({
          conversationId: "c2",
          user: "u",
        });
        // Same key under another bot is another conversation.
        expect((await store.getConversation("bot-2", "chat-a")).backendState).toEqual({});
      });

      it("records backend state for a conversation never read before", async () => {
        const store = await openStore();
        await store.updateBackendState("bot", "chat-new", { chatId: "x" });
        expect(await store.getConversation("bot", "chat-new")).toMatchObject({
          generation: 1,
          backendState: { chatId: "x" },
        });
      });

      it("reset starts a new generation with empty backend state", async () => {
        const store = await openStore();
        await store.getConversation("bot", "chat-a");
        await store.updateBackendState("bot", "chat-a", { conversationId: "c1" });

        const reset = await store.resetConversation("bot", "chat-a");
        expect(reset).toMatchObject({ generation: 2, backendState: {} });
        expect(await store.getConversation("bot", "chat-a")).toEqual(reset);
        expect((await store.resetConversation("bot", "chat-a")).generation).toBe(3);
        expect((await store.resetConversation("bot", "never-used")).generation).toBe(2);
      });

      it("merges settings, drops a key set to null, and keeps settings across a reset", async () => {
        const store = await openStore();
        await store.updateSettings("bot", "chat-s", {
          systemPrompt: "You translate.",
          mode: "strict",
        });
        await store.updateSettings("bot", "chat-s", { mode: "creative", model: "m2" });
        await store.updateBackendState("bot", "chat-s", { conversationId: "c1" });
        expect((await store.getConversation("bot", "chat-s")).settings).toEqual({
          systemPrompt: "You translate.",
          mode: "creative",
          model: "m2",
        });
        const reset = await store.resetConversation("bot", "chat-s");
        expect(reset).toMatchObject({ generation: 2, backendState: {} });
        expect(reset.settings).toMatchObject({ systemPrompt: "You translate." });
        await store.updateSettings("bot", "chat-s", { systemPrompt: null });
        expect((await store.getConversation("bot", "chat-s")).settings).toEqual({
          mode: "creative",
          model: "m2",
        });
        // A first write with a null leaves nothing behind.
        await store.updateSettings("bot", "chat-t", { model: null, mode: "strict" });
        expect((await store.getConversation("bot", "chat-t")).settings).toEqual({ mode: "strict" });
      });
    });

    describe("usage", () => {
      it("counts answers and tokens since a time, by bot, conversation and sender", async () => {
        const store = await openStore();
        const at = (time: number, fields: Partial<NewExchange>) =>
          store.recordExchange(
            newExchange({ promptTokens: 10, completionTokens: 5, ...fields }),
            time,
          );
        await at(1_000, {}); // before the window
        await at(5_000, {});
        await at(6_000, { senderOpenId: "ou_2", conversationKey: "chat-b" });
        await at(7_000, { promptTokens: null, completionTokens: null });
        await at(8_000, { status: "error", error: "timeout" });
        await at(9_000, { botId: "other" });
        expect(await store.usage({ botId: "bot", since: 2_000 })).toEqual({
          answers: 3,
          tokens: 30,
        });
        expect(await store.usage({ botId: "bot", since: 2_000, senderOpenId: "ou_1" })).toEqual({
          answers: 2,
          tokens: 15,
        });
        expect(
          await store.usage({
            botId: "bot",
            since: 0,
            conversationKey: "chat-a",
            senderOpenId: "ou_1",
          }),
        ).toEqual({ answers: 3, tokens: 30 });
        expect(await store.usage({ botId: "nobody", since: 0 })).toEqual({ answers: 0, tokens: 0 });
      });
    });

    describe("exchanges", () => {
      it("records an answer and finishes its job in one write, only for the run holding it", async () => {
        const store = await openStore();
        await store.acceptJob(newJob("chat-a"), ["k1"], 0);
        await store.acceptJob(newJob("chat-b"), ["k2"], 0);
        const mine = await store.claimJob("w1/1", 1_000, 10_000);
        const recorded = await store.recordExchange(newExchange({ messageId: "om_a" }), 10_100, {
          jobId: mine!.id,
          owner: "w1/1",
        });
        expect(recorded.inHistory).toBe(true);
        expect(await store.getJob(mine!.id)).toMatchObject({ status: "done", leaseOwner: "w1/1" });

        // A run that lost its job to another records nothing, and the job stays the other's.
        const lost = await store.claimJob("w1/2", 1_000, 10_000);
        await store.claimJob("w2/1", 1_000, 11_500);
        await expect(
          store.recordExchange(newExchange({ messageId: "om_b" }), 11_600, {
            jobId: lost!.id,
            owner: "w1/2",
          }),
        ).rejects.toBeInstanceOf(JobNotHeldError);
        expect(await store.getJob(lost!.id)).toMatchObject({
          status: "running",
          leaseOwner: "w2/1",
        });
        const log = await store.listExchanges({ botId: "bot" });
        expect(log.map((e) => e.messageId)).toEqual(["om_a"]);
      });

      it("stores every field and reads it back", async () => {
        const store = await openStore();
        const input = newExchange({
          reasoning: "thinking…",
          promptTokens: 12,
          completionTokens: 34,
          answerMessageId: "om_answer",
        });
        const recorded = await store.recordExchange(input, 5_000);
        expect(recorded).toEqual({ ...input, id: recorded.id, inHistory: true, createdAt: 5_000 });
        expect(await store.getExchange(recorded.id)).toEqual(recorded);
        expect(await store.getExchange(recorded.id + 1000)).toBeUndefined();
      });

      it("loads the latest in-history turns of the current generation, newest first", async () => {
        const store = await openStore();
        await store.recordExchange(newExchange({ question: "old gen", generation: 1 }));
        for (const question of ["q1", "q2", "q3"]) {
          await store.recordExchange(newExchange({ question, generation: 2 }));
        }
        await store.recordExchange(
          newExchange({ question: "failed", generation: 2, status: "error", answer: "" }),
        );
        await store.recordExchange(
          newExchange({ question: "stopped early", generation: 2, status: "stopped", answer: "" }),
        );
        await store.recordExchange(
          newExchange({ question: "stopped", generation: 2, status: "stopped", answer: "part" }),
        );
        await store.recordExchange(
          newExchange({ question: "other chat", generation: 2, conversationKey: "chat-b" }),
        );

        const questions = async (limit: number) =>
          (await store.loadHistory("bot", "chat-a", 2, { limit })).map((e) => e.question);
        expect(await questions(10)).toEqual(["stopped", "q3", "q2", "q1"]);
        expect(await questions(2)).toEqual(["stopped", "q3"]);
        expect(await questions(0)).toEqual([]);
      });

      it("pages back through history without repeating an exchange", async () => {
        const store = await openStore();
        const ids: number[] = [];
        for (let i = 0; i < 7; i++) {
          const exchange = newExchange({ question: `q${i}`, reasoning: "long thoughts" });
          ids.push((await store.recordExchange(exchange)).id);
        }
        await store.recordExchange(newExchange({ question: "other gen", generation: 2 }));

        const pages: string[][] = [];
        let beforeId: number | undefined;
        for (;;) {
          const page = await store.loadHistory("bot", "chat-a", 1, { limit: 3, beforeId });
          if (page.length === 0) break;
          pages.push(page.map((e) => e.question));
          beforeId = page.at(-1)!.id;
        }
        expect(pages).toEqual([["q6", "q5", "q4"], ["q3", "q2", "q1"], ["q0"]]);
        // Only what history replays is read: never the reasoning.
        expect(await store.loadHistory("bot", "chat-a", 1, { limit: 1, beforeId: ids[1] })).toEqual(
          [{ id: ids[0], question: "q0", answer: "A collaboration suite." }],
        );
      });

      it("takes a superseded exchange out of history but keeps it in the log", async () => {
        const store = await openStore();
        const first = await store.recordExchange(newExchange({ question: "q1" }));
        const second = await store.recordExchange(newExchange({ question: "q1 again" }));
        await store.supersedeExchange(first.id);

        const history = await store.loadHistory("bot", "chat-a", 1, { limit: 10 });
        expect(history.map((e) => e.id)).toEqual([second.id]);
        expect((await store.getExchange(first.id))?.inHistory).toBe(false);
        expect((await store.listExchanges({})).map((e) => e.id)).toEqual([first.id, second.id]);
      });

      it("filters the log and returns it newest last", async () => {
        const store = await openStore();
        const rows = [
          { chatId: "oc_1", senderOpenId: "ou_1", botId: "bot", at: 1_000 },
          { chatId: "oc_2", senderOpenId: "ou_1", botId: "bot", at: 2_000 },
          { chatId: "oc_1", senderOpenId: "ou_2", botId: "bot-2", at: 3_000 },
          { chatId: "oc_1", senderOpenId: "ou_1", botId: "bot", at: 4_000 },
        ];
        const ids: number[] = [];
        for (const row of rows) {
          const { at, ...fields } = row;
          ids.push((await store.recordExchange(newExchange(fields), at)).id);
        }
        const list = async (filter: Parameters<Store["listExchanges"]>[0]) =>
          (await store.listExchanges(filter)).map((e) => ids.indexOf(e.id));

        expect(await list({})).toEqual([0, 1, 2, 3]);
        expect(await list({ chatId: "oc_1" })).toEqual([0, 2, 3]);
        expect(await list({ senderOpenId: "ou_1", chatId: "oc_1" })).toEqual([0, 3]);
        expect(await list({ botId: "bot-2" })).toEqual([2]);
        expect(await list({ conversationKey: "chat-a", botId: "bot" })).toEqual([0, 1, 3]);
        expect(await list({ since: 2_000, until: 4_000 })).toEqual([1, 2]);
        expect(await list({ limit: 2 })).toEqual([2, 3]);
        expect(await list({ afterId: ids[0], limit: 2 })).toEqual([1, 2]);
      });
    });

    describe("pruneChatLog", () => {
      it("deletes exchanges recorded before the cutoff, in batches, and keeps the rest", async () => {
        const store = await openStore();
        const now = Date.now();
        for (let i = 0; i < 5; i++) {
          await store.recordExchange(newExchange({ question: `old ${i}` }), now - 10_000 + i);
        }
        await store.recordExchange(newExchange({ question: "recent" }), now);
        expect(await store.pruneChatLog(now - 5_000, { dryRun: true })).toBe(5);
        expect(await store.listExchanges({})).toHaveLength(6);
        // A batch of 2 takes three statements for five rows.
        expect(await store.pruneChatLog(now - 5_000, { batch: 2 })).toBe(5);
        const left = await store.listExchanges({});
        expect(left.map((e) => e.question)).toEqual(["recent"]);
        expect(await store.pruneChatLog(now - 5_000)).toBe(0);
      });
    });

    describe("jobCounts", () => {
      it("counts queued, running and waiting jobs, and dates the oldest queued one", async () => {
        const store = await openStore();
        const now = Date.now();
        await store.acceptJob(newJob("chat-a", 1), ["j1"], now - 3_000);
        await store.acceptJob(newJob("chat-a", 2), ["j2"], now - 2_000);
        await store.acceptJob(newJob("chat-b", 3), ["j3"], now - 1_000);
        expect(await store.jobCounts()).toEqual({
          queued: 3,
          running: 0,
          waiting: 0,
          oldestQueuedAt: now - 3_000,
        });
        await store.claimJob("w1", 60_000, now);
        expect(await store.jobCounts()).toEqual({
          queued: 2,
          running: 1,
          // chat-a's second job waits for its first.
          waiting: 1,
          oldestQueuedAt: now - 2_000,
        });
      });
    });

    describe("pruneChatLog per bot", () => {
      it("prunes only the bots named, or all but those with their own retention", async () => {
        const store = await openStore();
        const now = Date.now();
        for (const botId of ["a", "b", "c"]) {
          await store.recordExchange(
            newExchange({ botId, question: `old ${botId}` }),
            now - 10_000,
          );
        }
        expect(await store.pruneChatLog(now - 5_000, { onlyBots: ["a"] })).toBe(1);
        expect(await store.pruneChatLog(now - 5_000, { onlyBots: [] })).toBe(0);
        expect(await store.pruneChatLog(now - 5_000, { exceptBots: ["b"] })).toBe(1);
        const left = await store.listExchanges({});
        expect(left.map((e) => e.botId)).toEqual(["b"]);
      });
    });

    describe("prune", () => {
      it("forgets old dedup keys and finished jobs, keeping recent and unfinished ones", async () => {
        const store = await openStore();
        const now = Date.now();
        await store.acceptJob(newJob("chat-a", "a"), ["old"], now - 10_000);
        await store.acceptJob(newJob("chat-b", "b"), ["recent"], now);
        const a = await store.claimJob("w1", 60_000, now);
        await store.finishJob(a!.id, "w1", "done");
        const b = await store.claimJob("w1", 60_000, now);

        expect(await store.prune(now - 5_000, { dryRun: true })).toEqual({ dedupKeys: 1, jobs: 0 });
        expect(await store.prune(now - 5_000, { batch: 1 })).toEqual({ dedupKeys: 1, jobs: 0 });
        expect(await store.acceptJob(newJob("chat-c", "c"), ["old"])).toBe("accepted");
        expect(await store.acceptJob(newJob("chat-c"), ["recent"])).toBe("duplicate");
        // Finished after the cutoff: kept.
        expect(await store.getJob(a!.id)).toMatchObject({ status: "done" });

        await store.prune(Date.now() + 1);
        expect(await store.getJob(a!.id)).toBeUndefined();
        expect(await store.getJob(b!.id)).toMatchObject({ status: "running" });
        expect((await store.claimJob("w2", 60_000))?.payload).toBe("c");
      });
    });
  });
}
