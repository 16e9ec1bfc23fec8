import type SqliteDatabase from "better-sqlite3";
import { type Kysely, sql } from "kysely";
import { createChatLogQueries } from "./chat-log-queries.js";
import { createConversationRepository } from "./conversation-repository.js";
import type { Dialect } from "./database.js";
import { createExchangeRepository } from "./exchange-repository.js";
import { createJobQueue } from "./job-queue.js";
import { createLimitCounters } from "./limit-counters.js";
import { createPendingFileRepository } from "./pending-file-repository.js";
import type { Database } from "./schema.js";
import { createSqliteAcceptJob } from "./sqlite-accept-job.js";
import type { Store } from "./store.js";
import { createWorkflowPauseRepository } from "./workflow-pause-repository.js";

function acceptJobFast(accept: ReturnType<typeof createSqliteAcceptJob>): Store["acceptJob"] {
  return (job, dedupKeys, now = Date.now()) => accept(job, [...new Set(dedupKeys)], now);
}

/** The `Store` port over an open, migrated Kysely database. `close()` destroys it. */
export function createKyselyStore(
  db: Kysely<Database>,
  dialect: Dialect,
  sqlite?: SqliteDatabase.Database,
): Store {
  const queue = createJobQueue(db, dialect);
  return {
    dialect,
    ...queue,
    ...(sqlite ? { acceptJob: acceptJobFast(createSqliteAcceptJob(db, sqlite)) } : {}),
    ...createConversationRepository(db, dialect),
    ...createExchangeRepository(db),
    ...createChatLogQueries(db, dialect),
    ...createPendingFileRepository(db),
    ...createWorkflowPauseRepository(db),
    ...createLimitCounters(db, dialect),
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      await db.destroy();
    },
  };
}
