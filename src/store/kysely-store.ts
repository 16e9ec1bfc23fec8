import type { Kysely } from "kysely";
import { createConversationRepository } from "./conversation-repository.js";
import type { Dialect } from "./database.js";
import { createExchangeRepository } from "./exchange-repository.js";
import { createJobQueue } from "./job-queue.js";
import type { Database } from "./schema.js";
import type { Store } from "./store.js";

/** The `Store` port over an open, migrated Kysely database. `close()` destroys it. */
export function createKyselyStore(db: Kysely<Database>, dialect: Dialect): Store {
  return {
    dialect,
    ...createJobQueue(db, dialect),
    ...createConversationRepository(db, dialect),
    ...createExchangeRepository(db),
    async close() {
      await db.destroy();
    },
  };
}
