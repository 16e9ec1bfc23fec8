import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { fencedStore } from "../../../src/intake/fenced-store.js";
import { createWorker, type Worker } from "../../../src/intake/worker.js";
import { createStore } from "../../../src/store/create-store.js";
import type { Job, Store } from "../../../src/store/store.js";
import { newExchange, newJob } from "../../store/store-fixtures.js";

const LEASE_MS = 400;
const quiet = pino({ level: "silent" });

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 5_000) {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Blocks the event loop, as a long GC pause or a stopped VM does. */
function stall(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy: nothing else of this process runs meanwhile, timers included
  }
}

/**
 * The worker's lease fence on a real SQLite store: a run that stalled past its lease writes
 * again only if the store says nobody took the job meanwhile.
 */
describe("a worker's runs and their leases", () => {
  let store: Store;
  let worker: Worker | undefined;

  afterEach(async () => {
    await worker?.close(1_000);
    await store.close();
  });

  function startWorker(target: Store, handle: (job: Job) => Promise<void>, concurrency = 1) {
    worker = createWorker({
      store: target,
      logger: quiet,
      owner: "w1",
      concurrency,
      leaseMs: LEASE_MS,
      pollMs: 20,
      handle,
    });
    worker.start();
    return worker;
  }

  it("goes on after a stall when nobody took the job over", async () => {
    store = await createStore("sqlite::memory:");
    await store.acceptJob(newJob("chat-a"), ["k1"]);
    startWorker(store, async () => {
      stall(LEASE_MS * 2);
      await fencedStore(store).recordExchange(newExchange({ answer: "after the stall" }));
    });
    await until(async () => (await store.getJob(1))?.status === "done");
    const [exchange] = await store.listExchanges({ botId: "bot", limit: 5 });
    expect(exchange?.answer).toBe("after the stall");
  });

  it("writes nothing once another run holds the job, and leaves it to that run", async () => {
    store = await createStore("sqlite::memory:");
    await store.acceptJob(newJob("chat-a"), ["k1"]);
    // Renewals fail as if the database were unreachable, until the job was taken over.
    let takenOver = false;
    const flaky: Store = {
      ...store,
      renewLeases: (leases, leaseMs, now) =>
        takenOver
          ? store.renewLeases(leases, leaseMs, now)
          : Promise.reject(new Error("connection terminated")),
    };
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let wrote: unknown;
    startWorker(flaky, async () => {
      await released;
      try {
        await fencedStore(store).recordExchange(newExchange({ answer: "from the old run" }));
      } catch (error) {
        wrote = error;
        throw error;
      }
    });
    await until(async () => (await store.getJob(1))?.status === "running");
    // Its lease runs out in the store; another replica claims the job.
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS + 50));
    const other = await store.claimJob("w2/1", 60_000);
    expect(other).toMatchObject({ id: 1, attempts: 2 });
    takenOver = true;
    release();

    await until(() => wrote !== undefined);
    expect((wrote as Error).name).toBe("LeaseLostError");
    expect(await store.listExchanges({ botId: "bot", limit: 5 })).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Still the other run's: not finished (not even as failed) by the run that lost it.
    expect(await store.getJob(1)).toMatchObject({ status: "running", leaseOwner: "w2/1" });
  });
});
