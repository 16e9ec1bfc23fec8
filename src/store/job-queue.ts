import type { Kysely, SelectQueryBuilder } from "kysely";
import { claimJob, leaseClock, leaseTime, lockConversation } from "./claim-job.js";
import type { Dialect } from "./database.js";
import { countRows, inBatches, PRUNE_BATCH } from "./prune-batches.js";
import { toJob } from "./rows.js";
import type { Database } from "./schema.js";
import type { Store } from "./store.js";

export type JobQueue = Pick<
  Store,
  | "acceptJob"
  | "claimJob"
  | "renewLeases"
  | "finishJob"
  | "getJob"
  | "prune"
  | "recordDelivery"
  | "rememberKey"
  | "hasKey"
  | "jobCounts"
>;

/** Thrown inside the accept transaction to roll it back when a dedup key already exists. */
class DuplicateEvent extends Error {}

/** The durable job queue with its dedup keys; see the `Store` port for each method's contract. */
export function createJobQueue(db: Kysely<Database>, dialect: Dialect): JobQueue {
  return {
    async acceptJob(job, dedupKeys, now = Date.now()) {
      const keys = [...new Set(dedupKeys)];
      try {
        await db.transaction().execute(async (trx) => {
          // Taken before the job id is drawn from the sequence, so the ids of one
          // conversation follow commit order and a claimer never sees a newer job first.
          if (dialect === "postgres") await lockConversation(trx, job.botId, job.conversationKey);
          if (keys.length > 0) {
            // ON CONFLICT DO NOTHING rather than catching the unique violation: a failed
            // statement would abort the whole PostgreSQL transaction.
            const result = await trx
              .insertInto("dedup_keys")
              .values(keys.map((key) => ({ key, created_at: now })))
              .onConflict((oc) => oc.column("key").doNothing())
              .executeTakeFirst();
            if (Number(result.numInsertedOrUpdatedRows ?? 0) < keys.length) {
              throw new DuplicateEvent();
            }
          }
          await trx
            .insertInto("jobs")
            .values({
              bot_id: job.botId,
              kind: job.kind,
              conversation_key: job.conversationKey,
              payload: JSON.stringify(job.payload ?? null),
              status: "queued",
              attempts: 0,
              created_at: now,
              updated_at: now,
            })
            .execute();
        });
        return "accepted";
      } catch (error) {
        if (error instanceof DuplicateEvent) return "duplicate";
        throw error;
      }
    },

    async rememberKey(key, now = Date.now()) {
      await db
        .insertInto("dedup_keys")
        .values({ key, created_at: now })
        .onConflict((oc) => oc.column("key").doNothing())
        .execute();
    },

    async hasKey(key) {
      const row = await db
        .selectFrom("dedup_keys")
        .select("key")
        .where("key", "=", key)
        .executeTakeFirst();
      return row !== undefined;
    },

    async claimJob(owner, leaseMs, now, options) {
      const row = await claimJob(db, dialect, owner, leaseMs, leaseClock(dialect, now), options);
      return row === undefined ? undefined : toJob(row);
    },

    async recordDelivery(jobId, owner, delivery) {
      await db
        .updateTable("jobs")
        .set({ delivery: JSON.stringify(delivery) })
        .where("id", "=", jobId)
        .where("lease_owner", "=", owner)
        .execute();
    },

    async renewLeases(leases, leaseMs, now) {
      if (leases.length === 0) return [];
      const clock = leaseClock(dialect, now);
      const rows = await db
        .updateTable("jobs")
        .set({ lease_until: leaseTime(clock, leaseMs), updated_at: Date.now() })
        .where("status", "=", "running")
        .where((eb) =>
          eb.or(
            leases.map((lease) =>
              eb.and([eb("id", "=", lease.jobId), eb("lease_owner", "=", lease.owner)]),
            ),
          ),
        )
        .returning("id")
        .execute();
      return rows.map((row) => Number(row.id));
    },

    async finishJob(jobId, owner, outcome, error) {
      const result = await db
        .updateTable("jobs")
        .set({ status: outcome, error: error ?? null, lease_until: null, updated_at: Date.now() })
        .where("id", "=", jobId)
        .where("status", "=", "running")
        .where("lease_owner", "=", owner)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async getJob(jobId) {
      const row = await db
        .selectFrom("jobs")
        .selectAll()
        .where("id", "=", jobId)
        .executeTakeFirst();
      return row === undefined ? undefined : toJob(row);
    },

    async jobCounts() {
      const rows = await db
        .selectFrom("jobs")
        .select((eb) => [
          "status",
          eb.fn.countAll<number | string>().as("count"),
          eb.fn.min("created_at").as("oldest"),
        ])
        .where("status", "in", ["queued", "running"])
        .groupBy("status")
        .execute();
      const queued = rows.find((r) => r.status === "queued");
      const running = rows.find((r) => r.status === "running");
      // Queued behind a running job of the same conversation (answered one at a time).
      const waiting = await db
        .selectFrom("jobs as q")
        .select((eb) => eb.fn.countAll<number | string>().as("count"))
        .where("q.status", "=", "queued")
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom("jobs as r")
              .select("r.id")
              .where("r.status", "=", "running")
              .whereRef("r.bot_id", "=", "q.bot_id")
              .whereRef("r.conversation_key", "=", "q.conversation_key"),
          ),
        )
        .executeTakeFirst();
      return {
        queued: Number(queued?.count ?? 0),
        running: Number(running?.count ?? 0),
        waiting: Number(waiting?.count ?? 0),
        ...(queued?.oldest != null ? { oldestQueuedAt: Number(queued.oldest) } : {}),
      };
    },

    async prune(olderThan, options = {}) {
      const keys = <O>(q: SelectQueryBuilder<Database, "dedup_keys", O>) =>
        q.where("created_at", "<", olderThan);
      const finished = <O>(q: SelectQueryBuilder<Database, "jobs", O>) =>
        q.where("status", "in", ["done", "failed"]).where("updated_at", "<", olderThan);
      if (options.dryRun) {
        return {
          dedupKeys: await countRows(keys(db.selectFrom("dedup_keys"))),
          jobs: await countRows(finished(db.selectFrom("jobs"))),
        };
      }
      const batch = options.batch ?? PRUNE_BATCH;
      const dedupKeys = await inBatches(batch, async () => {
        const result = await db
          .deleteFrom("dedup_keys")
          .where("key", "in", keys(db.selectFrom("dedup_keys").select("key")).limit(batch))
          .executeTakeFirst();
        return Number(result.numDeletedRows);
      });
      const jobs = await inBatches(batch, async () => {
        const result = await db
          .deleteFrom("jobs")
          .where("id", "in", finished(db.selectFrom("jobs").select("id")).limit(batch))
          .executeTakeFirst();
        return Number(result.numDeletedRows);
      });
      return { dedupKeys, jobs };
    },
  };
}
