import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { createStore } from "../../src/store/create-store.js";
import { createDatabase } from "../../src/store/database.js";
import { allMigrations } from "../../src/store/migrations/all-migrations.js";
import type { Store } from "../../src/store/store.js";
import { describeLimitsContract } from "./limits-contract.js";
import {
  createSchemaFactory,
  postgresTestUrl,
  postgresUnreachable,
} from "./postgres-test-database.js";
import { runWorkers } from "./run-workers.js";
import { describeStoreContract } from "./store-contract.js";
import { newJob } from "./store-fixtures.js";

const unreachable = await postgresUnreachable(postgresTestUrl);
if (unreachable !== undefined) {
  console.warn(
    `Skipping PostgreSQL store tests: ${postgresTestUrl} is unreachable (${unreachable}). ` +
      "Set LARKGATE_TEST_POSTGRES_URL to run them.",
  );
}
const schemas = createSchemaFactory(postgresTestUrl);
afterAll(() => (unreachable === undefined ? schemas.dropAll() : undefined));

describe.skipIf(unreachable !== undefined)("PostgreSQL store", () => {
  describeStoreContract("PostgreSQL", () => schemas.create());
  describeLimitsContract("PostgreSQL, two replicas", () => schemas.create(), { shared: true });

  it("sets and reads leases with the database's clock, whatever a replica's clock says", async () => {
    const url = await schemas.create();
    const a = await createStore(url);
    const b = await createStore(url);
    const realNow = Date.now;
    try {
      await a.acceptJob(newJob("chat-a", "a1"), ["k1"]);
      await a.acceptJob(newJob("chat-b", "b1"), ["k2"]);
      const live = await a.claimJob("a/1", 60_000);
      // Replica A's clock is right; B's runs an hour ahead. B must not see A's live lease as
      // expired and answer the same question a second time.
      Date.now = () => realNow() + 60 * 60 * 1000;
      const claimedByB = await b.claimJob("b/1", 60_000);
      expect(claimedByB?.payload).toBe("b1");
      // B renews its lease for 300 ms and dies. The lease ends by the database's clock, so A
      // takes the job over right after, not an hour later.
      expect(await b.renewLeases([{ jobId: claimedByB!.id, owner: "b/1" }], 300)).toEqual([
        claimedByB!.id,
      ]);
      Date.now = realNow;
      await new Promise((resolve) => setTimeout(resolve, 400));
      const takenOver = await a.claimJob("a/2", 60_000);
      expect(takenOver).toMatchObject({ id: claimedByB!.id, attempts: 2 });
      expect(live?.payload).toBe("a1");
    } finally {
      Date.now = realNow;
      await a.close();
      await b.close();
    }
  });

  it("two replicas drain 200 jobs over 20 conversations, each job once, one per conversation", async () => {
    const url = await schemas.create();
    const replicas: Store[] = [await createStore(url), await createStore(url)];
    try {
      const jobs = 200;
      for (let i = 0; i < jobs; i++) {
        await replicas[i % 2]!.acceptJob(newJob(`chat-${i % 20}`, i), [`event:${i}`]);
      }
      // Four workers per replica, each replica with its own connection pool.
      const result = await runWorkers([...replicas, ...replicas, ...replicas, ...replicas], jobs);
      expect(result.violations).toEqual([]);
      expect(result.claimed).toHaveLength(jobs);
      expect(new Set(result.claimed).size).toBe(jobs);
    } finally {
      await Promise.all(replicas.map((store) => store.close()));
    }
  });

  it("many workers contending for a few conversations still run each alone and in order", async () => {
    const url = await schemas.create();
    const replicas: Store[] = [await createStore(url), await createStore(url)];
    try {
      const jobs = 90;
      for (let i = 0; i < jobs; i++) {
        await replicas[0]!.acceptJob(newJob(`chat-${i % 3}`, i), [`event:${i}`]);
      }
      // More workers than conversations, so most claims race for a busy conversation.
      const workers = Array.from({ length: 12 }, (_, i) => replicas[i % 2]!);
      const result = await runWorkers(workers, jobs);
      expect(result.violations).toEqual([]);
      expect(result.claimed).toHaveLength(jobs);
      expect(new Set(result.claimed).size).toBe(jobs);
    } finally {
      await Promise.all(replicas.map((store) => store.close()));
    }
  });

  it("migrates a fresh schema while another schema of the database is already migrated", async () => {
    // Kysely looks for its migration table across all schemas unless told which one; an
    // already migrated neighbour schema once made a new one skip creating its own.
    const neighbour = await createStore(await schemas.create());
    try {
      const fresh = await createStore(await schemas.create());
      expect(await fresh.acceptJob(newJob("chat-a"), ["event:1"])).toBe("accepted");
      await fresh.close();
    } finally {
      await neighbour.close();
    }
  });

  it("three instances migrating a fresh schema at once all start", async () => {
    const url = await schemas.create();
    const started = await Promise.all([createStore(url), createStore(url), createStore(url)]);
    try {
      expect(await started[2]!.acceptJob(newJob("chat-a"), ["event:1"])).toBe("accepted");
      expect(await started[0]!.acceptJob(newJob("chat-a"), ["event:1"])).toBe("duplicate");
    } finally {
      await Promise.all(started.map((store) => store.close()));
    }
    const { db } = createDatabase(url);
    try {
      const { rows } = await sql<{ name: string }>`select name from larkgate_migration`.execute(db);
      expect(rows.map((row) => row.name)).toEqual(Object.keys(allMigrations("postgres")));
    } finally {
      await db.destroy();
    }
  });

  it("delivers a stop published on one replica to every replica", async () => {
    const url = await schemas.create();
    const [a, b] = await Promise.all([createStore(url), createStore(url)]);
    try {
      const heard: string[] = [];
      b.signals!.onStop((botId, messageId) => heard.push(`${botId}/${messageId}`));
      // The listener connects in the background; publish until it hears.
      const deadline = Date.now() + 5000;
      while (heard.length === 0 && Date.now() < deadline) {
        await a.signals!.publishStop("bot-1", "om_stop_me");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(heard[0]).toBe("bot-1/om_stop_me");
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
