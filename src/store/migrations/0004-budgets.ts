import type { Kysely, Migration } from "kysely";

/**
 * The counters behind budgets and rate limits (issue 21): one row per counter, updated in
 * the same transaction as the answer it charges, so every replica sees one count.
 */
export function budgetsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("limit_counters")
        .addColumn("key", "text", (col) => col.primaryKey())
        // Budgets: the start of the window `used` counts; buckets: 0.
        .addColumn("window_start", "bigint", (col) => col.notNull())
        // Budgets: what the window used; buckets: the requests left in the bucket.
        .addColumn("used", "double precision", (col) => col.notNull())
        .addColumn("granted", "double precision", (col) => col.notNull().defaultTo(0))
        .addColumn("estimated", "double precision", (col) => col.notNull().defaultTo(0))
        // Buckets: when `used` was last refilled, in the store's clock.
        .addColumn("updated_at", "bigint", (col) => col.notNull())
        .execute();
    },
  };
}
