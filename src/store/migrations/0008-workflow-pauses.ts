import type { Kysely, Migration } from "kysely";

/**
 * Workflows waiting for the user (a FastGPT select or form node shown as a card): kept until
 * answered or expired, so a press works on any replica and after a restart.
 */
export function workflowPausesMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("workflow_pauses")
        .addColumn("id", "text", (col) => col.primaryKey())
        .addColumn("bot_id", "text", (col) => col.notNull())
        .addColumn("conversation_key", "text", (col) => col.notNull())
        .addColumn("generation", "integer", (col) => col.notNull())
        .addColumn("chat_id", "text", (col) => col.notNull())
        .addColumn("message_id", "text", (col) => col.notNull())
        .addColumn("owner_open_id", "text", (col) => col.notNull())
        .addColumn("spec", "text", (col) => col.notNull())
        .addColumn("status", "text", (col) => col.notNull())
        .addColumn("answered_by", "text")
        .addColumn("created_at", "bigint", (col) => col.notNull())
        .addColumn("expires_at", "bigint", (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex("workflow_pauses_conversation")
        .on("workflow_pauses")
        .columns(["bot_id", "conversation_key", "status"])
        .execute();
      await db.schema
        .createIndex("workflow_pauses_expires")
        .on("workflow_pauses")
        .columns(["expires_at"])
        .execute();
    },
  };
}
