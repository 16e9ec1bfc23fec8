import { afterEach, describe, expect, it } from "vitest";
import { createStore } from "../../src/store/create-store.js";
import {
  type BucketRule,
  type BudgetRule,
  JobNotHeldError,
  type Store,
} from "../../src/store/store.js";
import { newExchange, newJob } from "./store-fixtures.js";

const day = (limit: number, reserve = 1, key = "questions:user:day:bot:ou_1"): BudgetRule => ({
  kind: "budget",
  key,
  window: "day",
  limit,
  reserve,
});
/** A bucket that refills so slowly that a test never sees it refill. */
const bucket = (capacity: number, key = "rpm:user:bot:ou_1"): BucketRule => ({
  kind: "bucket",
  key,
  capacity,
  perMinute: 0.000_001,
});

/**
 * The budget counters every `Store` backend must keep exactly (issue 21). `makeUrl` gives a
 * fresh database each call; with `shared`, two stores opened on one URL see one database (a
 * file, PostgreSQL), and the races run across both, like two replicas.
 */
export function describeLimitsContract(
  name: string,
  makeUrl: () => Promise<string> | string,
  options: { shared?: boolean } = {},
): void {
  describe(`Store limits contract: ${name}`, () => {
    const open: Store[] = [];
    const openStores = async (): Promise<[Store, Store]> => {
      const url = await makeUrl();
      const first = await createStore(url);
      const second = options.shared ? await createStore(url) : first;
      open.push(first);
      if (second !== first) open.push(second);
      return [first, second];
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((store) => store.close()));
    });

    it("admits up to a budget, then refuses until the next window", async () => {
      const [store] = await openStores();
      const rule = day(2);
      expect((await store.admit({ rules: [rule] })).admitted).toBe(true);
      expect((await store.admit({ rules: [rule] })).admitted).toBe(true);
      const refused = await store.admit({ rules: [rule] });
      expect(refused).toMatchObject({ admitted: false, refused: "limit", key: rule.key });
      if (refused.admitted || refused.refused !== "limit") throw new Error("unreachable");
      // The next local midnight, at most a day (and a DST hour) away.
      expect(refused.resetsAt).toBeGreaterThan(refused.now);
      expect(new Date(refused.resetsAt).getHours()).toBe(0);
      expect(refused.resetsAt - refused.now).toBeLessThanOrEqual(25 * 3_600_000);
    });

    it("two replicas racing for the last ten questions of a budget admit exactly ten", async () => {
      const [a, b] = await openStores();
      const rule = day(10, 1, "questions:bot:month:bot");
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).admit({ rules: [rule] })),
      );
      expect(outcomes.filter((o) => o.admitted)).toHaveLength(10);
      const { readings } = await a.readLimits([rule]);
      expect(readings[0]?.used).toBe(10);
    });

    it("of two questions racing for a token budget's last token, one is admitted", async () => {
      const [a, b] = await openStores();
      const tokens = day(100, 99, "tokens:user:day:bot:ou_1");
      expect((await a.admit({ rules: [tokens] })).admitted).toBe(true);
      // 1 token left; each asks to reserve 30: one gets it (and may overrun), the other not.
      const race = await Promise.all([
        a.admit({ rules: [{ ...tokens, reserve: 30 }] }),
        b.admit({ rules: [{ ...tokens, reserve: 30 }] }),
      ]);
      expect(race.filter((o) => o.admitted)).toHaveLength(1);
    });

    it("takes nothing from any rule when one of them refuses", async () => {
      const [store] = await openStores();
      const open = day(5, 1, "questions:bot:month:bot");
      const full = day(0, 1, "questions:user:day:bot:ou_1");
      const rpm = bucket(3);
      expect((await store.admit({ rules: [open, full, rpm] })).admitted).toBe(false);
      const { readings } = await store.readLimits([open, full, rpm]);
      expect(readings.map((r) => r.used)).toEqual([0, 0, 0]);
    });

    it("a bucket lets its capacity through at once, then says when the next request fits", async () => {
      const [a, b] = await openStores();
      const rule: BucketRule = { ...bucket(3), perMinute: 1 };
      const outcomes = await Promise.all(
        Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? a : b).admit({ rules: [rule] })),
      );
      expect(outcomes.filter((o) => o.admitted)).toHaveLength(3);
      const refused = outcomes.find((o) => !o.admitted);
      if (!refused || refused.admitted || refused.refused !== "limit")
        throw new Error("none refused");
      // One request a minute: the next one fits within a minute.
      expect(refused.resetsAt).toBeGreaterThan(refused.now);
      expect(refused.resetsAt - refused.now).toBeLessThanOrEqual(60_000);
    });

    it("a job's retry is admitted on its first admission, taking nothing again", async () => {
      const [store] = await openStores();
      const rule = day(1);
      expect((await store.admit({ rules: [rule], onceKey: "limits:bot:om_1" })).admitted).toBe(
        true,
      );
      const again = await store.admit({ rules: [rule], onceKey: "limits:bot:om_1" });
      expect(again).toMatchObject({ admitted: true, held: [] });
      expect((await store.admit({ rules: [rule], onceKey: "limits:bot:om_2" })).admitted).toBe(
        false,
      );
      expect((await store.readLimits([rule])).readings[0]?.used).toBe(1);
    });

    it("a refused question leaves its once-key unused, so a later try is counted", async () => {
      const [store] = await openStores();
      const rule = day(0);
      expect((await store.admit({ rules: [rule], onceKey: "limits:bot:om_9" })).admitted).toBe(
        false,
      );
      await store.grantLimit(rule, 1);
      expect((await store.admit({ rules: [rule], onceKey: "limits:bot:om_9" })).admitted).toBe(
        true,
      );
    });

    it("refuses everything once past the expiry, by the store's clock", async () => {
      const [store] = await openStores();
      const { now } = await store.readLimits([]);
      expect(await store.admit({ rules: [day(5)], notAfter: now - 1000 })).toMatchObject({
        admitted: false,
        refused: "expired",
      });
      expect((await store.admit({ rules: [day(5)], notAfter: now + 3_600_000 })).admitted).toBe(
        true,
      );
    });

    it("a grant extends the current window only", async () => {
      const [store] = await openStores();
      const rule = day(1);
      expect((await store.admit({ rules: [rule] })).admitted).toBe(true);
      expect((await store.admit({ rules: [rule] })).admitted).toBe(false);
      expect((await store.grantLimit(rule, 2)).granted).toBe(2);
      expect((await store.admit({ rules: [rule] })).admitted).toBe(true);
      expect((await store.admit({ rules: [rule] })).admitted).toBe(true);
      expect((await store.admit({ rules: [rule] })).admitted).toBe(false);
    });

    it("a bot capped at one running job waits in order, while other bots go on", async () => {
      const [a, b] = await openStores();
      for (const chat of ["chat-a", "chat-b", "chat-c"]) {
        await a.acceptJob(newJob(chat, chat), [`event:${chat}`]);
      }
      await a.acceptJob({ ...newJob("chat-x", "other bot"), botId: "other" }, ["event:x"]);
      const caps = { bot: 1 };
      // Four claims at once, over both replicas: one of the capped bot's jobs, and the other's.
      const claimed = await Promise.all(
        [a, b, a, b].map((store, i) => store.claimJob(`w${i}`, 60_000, undefined, { caps })),
      );
      const payloads = claimed.flatMap((job) => (job ? [job.payload as string] : []));
      expect(payloads.filter((p) => p.startsWith("chat-"))).toHaveLength(1);
      expect(payloads).toContain("other bot");
      const first = claimed.find((job) => String(job?.payload).startsWith("chat-"))!;
      expect(await b.claimJob("w9", 60_000, undefined, { caps })).toBeUndefined();
      await a.finishJob(first.id, first.leaseOwner!, "done");
      // Claimed one at a time, the capped bot's jobs come oldest first.
      const left = ["chat-a", "chat-b", "chat-c"].filter((chat) => chat !== first.payload);
      const next = await b.claimJob("w10", 60_000, undefined, { caps });
      expect(next?.payload).toBe(left[0]);
      expect(await a.claimJob("w11", 60_000, undefined, { caps })).toBeUndefined();
    });

    it("settles the reservation with the answer's record, in its transaction", async () => {
      const [store] = await openStores();
      const tokens = day(1000, 50, "tokens:user:day:bot:ou_1");
      const admission = await store.admit({ rules: [tokens] });
      if (!admission.admitted) throw new Error("refused");
      expect(admission.held).toEqual([
        { key: tokens.key, windowStart: expect.any(Number), delta: 50 },
      ]);
      // The model reported 120 tokens; nobody reported the second answer's, estimated at 30.
      const settle = admission.held.map((h) => ({ ...h, delta: 120 - h.delta }));
      await store.recordExchange(newExchange(), undefined, undefined, settle);
      const second = await store.admit({ rules: [tokens] });
      if (!second.admitted) throw new Error("refused");
      await store.recordExchange(
        newExchange({ messageId: "om_2" }),
        undefined,
        undefined,
        second.held.map((h) => ({ ...h, delta: 30 - h.delta, estimated: 30 })),
      );
      expect((await store.readLimits([tokens])).readings[0]).toMatchObject({
        used: 150,
        estimated: 30,
      });
    });

    it("a settlement whose job was taken over is rolled back with the answer", async () => {
      const [store] = await openStores();
      const tokens = day(1000, 50, "tokens:user:day:bot:ou_1");
      await store.acceptJob(newJob("chat-a"), ["event:1"]);
      const job = await store.claimJob("w1", 60_000);
      const admission = await store.admit({ rules: [tokens] });
      if (!job || !admission.admitted) throw new Error("setup");
      await expect(
        store.recordExchange(
          newExchange(),
          undefined,
          { jobId: job.id, owner: "someone-else" },
          admission.held.map((h) => ({ ...h, delta: 500 })),
        ),
      ).rejects.toBeInstanceOf(JobNotHeldError);
      expect((await store.readLimits([tokens])).readings[0]?.used).toBe(50);
    });
  });
}
