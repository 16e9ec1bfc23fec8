import { createDatabase } from "./database.js";
import { createKyselyStore } from "./kysely-store.js";
import { migrateToLatest } from "./migrate.js";
import { createPgSignals } from "./pg-signals.js";
import type { Store } from "./store.js";

export interface CreateStoreOptions {
  /** Bring the schema up to date before returning (default true). */
  migrate?: boolean;
}

/**
 * Opens the store named by `url` (`sqlite:<path>` or `postgres://…`) and migrates it.
 *
 * @example
 *   const store = await createStore("sqlite:./data/larkgate.db");
 *   try { await store.acceptJob(job, [`event:${eventId}`]); } finally { await store.close(); }
 */
export async function createStore(url: string, options: CreateStoreOptions = {}): Promise<Store> {
  const { db, dialect, sqlite } = createDatabase(url);
  try {
    if (options.migrate ?? true) await migrateToLatest(db, dialect);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const store = createKyselyStore(db, dialect, sqlite);
  if (dialect !== "postgres") return store;
  const signals = createPgSignals(url, db);
  return {
    ...store,
    signals,
    async close() {
      await signals.close();
      await store.close();
    },
  };
}
