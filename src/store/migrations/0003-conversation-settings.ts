import { type Kysely, type Migration, sql } from "kysely";

/**
 * What a user chose for one conversation (a role, an answer style, a model), kept apart from
 * the backend's state so that a Reset, which starts a new history, keeps those choices.
 */
export function conversationSettingsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable("conversations")
        .addColumn("settings", "text", (col) => col.notNull().defaultTo(sql`'{}'`))
        .execute();
    },
  };
}
