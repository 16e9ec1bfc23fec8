import type SqliteDatabase from "better-sqlite3";
import type { Kysely } from "kysely";
import type { Database } from "./schema.js";
import type { NewJob } from "./store.js";

type Outcome = "accepted" | "duplicate";

interface Pending {
  job: NewJob;
  keys: string[];
  now: number;
  resolve: (outcome: Outcome) => void;
  reject: (error: unknown) => void;
}

/**
 * `acceptJob` on SQLite, straight on better-sqlite3, with group commit. It is the only store
 * call on the webhook's ack path, and the intake benchmark showed the commit itself as the
 * largest cost per push. Pushes that arrive in the same turn of the event loop are written in
 * one transaction; every caller is answered only after the commit, so an ack still means
 * "stored", and a duplicate (also one inside the same batch) writes nothing.
 * The flush holds Kysely's connection, so it never interleaves with a Kysely transaction.
 */
export function createSqliteAcceptJob(db: Kysely<Database>, sqlite: SqliteDatabase.Database) {
  // A key that is already there inserts nothing (changes = 0): one index descent per key
  // instead of a lookup followed by an insert.
  const insertKey = sqlite.prepare(
    "INSERT INTO dedup_keys (key, created_at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
  );
  const deleteKey = sqlite.prepare("DELETE FROM dedup_keys WHERE key = ?");
  const insertJob = sqlite.prepare(
    "INSERT INTO jobs (bot_id, kind, conversation_key, payload, status, attempts, created_at, updated_at) " +
      "VALUES (?, ?, ?, ?, 'queued', 0, ?, ?)",
  );
  // IMMEDIATE: take the write lock up front, so another process's writer makes us wait
  // (busy_timeout) rather than fail halfway. A duplicate inside the same batch is caught the
  // same way, since the batch's own inserts are visible to it.
  const acceptBatch = sqlite.transaction((items: Pending[]): Outcome[] => {
    return items.map(({ job, keys, now }) => {
      for (const [i, key] of keys.entries()) {
        if (insertKey.run(key, now).changes === 0) {
          // A duplicate writes nothing: its fresh keys, if any, stay unused.
          for (const fresh of keys.slice(0, i)) deleteKey.run(fresh);
          return "duplicate";
        }
      }
      const payload = JSON.stringify(job.payload ?? null);
      insertJob.run(job.botId, job.kind, job.conversationKey, payload, now, now);
      return "accepted";
    });
  }).immediate;

  let pending: Pending[] = [];

  async function flush(): Promise<void> {
    const batch = pending;
    pending = [];
    try {
      const outcomes = await db.connection().execute(async () => acceptBatch(batch));
      for (const [i, item] of batch.entries()) item.resolve(outcomes[i]!);
    } catch (error) {
      for (const item of batch) item.reject(error);
    }
  }

  return (job: NewJob, keys: string[], now: number): Promise<Outcome> =>
    new Promise<Outcome>((resolve, reject) => {
      // Everything that arrives before the event loop's next check phase shares one commit.
      // (Waiting a millisecond more gathered bigger batches but cost more in ack latency than
      // it saved in CPU, in the intake benchmark.)
      if (pending.length === 0) setImmediate(() => void flush());
      pending.push({ job, keys, now, resolve, reject });
    });
}
