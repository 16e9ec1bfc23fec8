import type { SelectQueryBuilder } from "kysely";
import type { Database } from "./schema.js";

/**
 * Rows per delete statement when pruning. Measured (`npm run bench -- --only prune`, 400,000
 * rows on SQLite): a batch of 5,000 holds the write lock for about 70 ms and the whole prune
 * takes about twice as long as one statement; smaller batches cost nearly as much each (the
 * indexes' pages are touched either way) and made the prune many times longer.
 */
export const PRUNE_BATCH = 5_000;

/**
 * Runs `deleteBatch` until it deletes fewer than `batch` rows, giving the event loop a turn
 * between statements so that an ack's commit, waiting for the same SQLite write lock or
 * PostgreSQL connection, goes between two batches instead of after all of them.
 */
export async function inBatches(
  batch: number,
  deleteBatch: () => Promise<number>,
): Promise<number> {
  let deleted = 0;
  for (;;) {
    const count = await deleteBatch();
    deleted += count;
    if (count < batch) return deleted;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** How many rows a query would return. */
export async function countRows<T extends keyof Database>(
  query: SelectQueryBuilder<Database, T, object>,
): Promise<number> {
  const row = await query
    .select((eb) => eb.fn.countAll<number | string>().as("count"))
    .executeTakeFirst();
  return Number((row as { count?: number | string } | undefined)?.count ?? 0);
}
