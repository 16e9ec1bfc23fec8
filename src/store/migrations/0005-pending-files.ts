import type { Kysely, Migration } from "kysely";
import type { Dialect } from "../database.js";

/**
 * Files sent without a question, waiting for the question that follows in their conversation
 * (p2p: "here is the report", then "summarise it"). A row stays after it is taken, marked with
 * the question that took it, so Regenerate can send the same files again.
 */
export function pendingFilesMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("pending_files")
        .addColumn("id", dialect === "postgres" ? "bigserial" : "integer", (col) =>
          dialect === "postgres" ? col.primaryKey() : col.primaryKey().autoIncrement(),
        )
        .addColumn("bot_id", "text", (col) => col.notNull())
        .addColumn("conversation_key", "text", (col) => col.notNull())
        .addColumn("message_id", "text", (col) => col.notNull())
        .addColumn("file_key", "text", (col) => col.notNull())
        .addColumn("file_name", "text", (col) => col.notNull())
        .addColumn("taken_by", "text")
        .addColumn("created_at", "bigint", (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex("pending_files_conversation")
        .on("pending_files")
        .columns(["bot_id", "conversation_key", "created_at"])
        .execute();
      await db.schema
        .createIndex("pending_files_taken_by")
        .on("pending_files")
        .columns(["bot_id", "taken_by"])
        .execute();
    },
  };
}
