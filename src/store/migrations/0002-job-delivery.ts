import type { Kysely, Migration } from "kysely";

/**
 * Where a running job's answer is being shown (the live card), so a replica that takes over
 * the job after its owner died can mark that half-written card as interrupted.
 */
export function jobDeliveryMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("jobs").addColumn("delivery", "text").execute();
    },
  };
}
