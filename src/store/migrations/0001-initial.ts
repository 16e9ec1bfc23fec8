import type { Kysely, Migration } from "kysely";
import type { Dialect } from "../database.js";

/**
 * The first schema. Built with Kysely's schema builder so one definition serves both
 * dialects; only the auto-increment id differs.
 */
export function initialMigration(dialect: Dialect): Migration {
  // SQLite's AUTOINCREMENT never reuses an id after rows are pruned, like a PG sequence;
  // `logs --follow` relies on ids only growing.
  const idColumn = dialect === "postgres" ? "bigserial" : "integer";
  const autoIncrement = dialect === "sqlite";

  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("dedup_keys")
        .addColumn("key", "text", (col) => col.primaryKey())
        .addColumn("created_at", "bigint", (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex("dedup_keys_created_at_idx")
        .on("dedup_keys")
        .column("created_at")
        .execute();

      await db.schema
        .createTable("jobs")
        .addColumn("id", idColumn, (col) =>
          autoIncrement ? col.primaryKey().autoIncrement() : col.primaryKey(),
        )
        .addColumn("bot_id", "text", (col) => col.notNull())
        .addColumn("kind", "text", (col) => col.notNull())
        .addColumn("conversation_key", "text", (col) => col.notNull())
        .addColumn("payload", "text", (col) => col.notNull())
        .addColumn("status", "text", (col) => col.notNull())
        .addColumn("attempts", "integer", (col) => col.notNull().defaultTo(0))
        .addColumn("lease_owner", "text")
        .addColumn("lease_until", "bigint")
        .addColumn("error", "text")
        .addColumn("created_at", "bigint", (col) => col.notNull())
        .addColumn("updated_at", "bigint", (col) => col.notNull())
        .execute();
      // Claiming scans unfinished jobs in id order.
      await db.schema
        .createIndex("jobs_status_id_idx")
        .on("jobs")
        .columns(["status", "id"])
        .execute();
      // Per-conversation checks: "an older unfinished job?" and "one running?".
      await db.schema
        .createIndex("jobs_conversation_idx")
        .on("jobs")
        .columns(["bot_id", "conversation_key", "status", "id"])
        .execute();

      await db.schema
        .createTable("conversations")
        .addColumn("bot_id", "text", (col) => col.notNull())
        .addColumn("conversation_key", "text", (col) => col.notNull())
        .addColumn("generation", "integer", (col) => col.notNull())
        .addColumn("backend_state", "text", (col) => col.notNull())
        .addColumn("updated_at", "bigint", (col) => col.notNull())
        .addPrimaryKeyConstraint("conversations_pk", ["bot_id", "conversation_key"])
        .execute();

      await db.schema
        .createTable("exchanges")
        .addColumn("id", idColumn, (col) =>
          autoIncrement ? col.primaryKey().autoIncrement() : col.primaryKey(),
        )
        .addColumn("bot_id", "text", (col) => col.notNull())
        .addColumn("conversation_key", "text", (col) => col.notNull())
        .addColumn("generation", "integer", (col) => col.notNull())
        .addColumn("chat_id", "text", (col) => col.notNull())
        .addColumn("sender_open_id", "text", (col) => col.notNull())
        .addColumn("message_id", "text", (col) => col.notNull())
        .addColumn("question", "text", (col) => col.notNull())
        .addColumn("answer", "text", (col) => col.notNull())
        .addColumn("reasoning", "text")
        .addColumn("model", "text", (col) => col.notNull())
        .addColumn("prompt_tokens", "integer")
        .addColumn("completion_tokens", "integer")
        .addColumn("latency_ms", "integer", (col) => col.notNull())
        .addColumn("error", "text")
        .addColumn("status", "text", (col) => col.notNull())
        .addColumn("answer_message_id", "text")
        .addColumn("in_history", "integer", (col) => col.notNull())
        .addColumn("created_at", "bigint", (col) => col.notNull())
        .execute();
      // loadHistory is an index range scan read backwards from the newest id, so its cost
      // depends on `limit`, not on how many exchanges the store holds.
      await db.schema
        .createIndex("exchanges_history_idx")
        .on("exchanges")
        .columns(["bot_id", "conversation_key", "generation", "in_history", "id"])
        .execute();
      await db.schema
        .createIndex("exchanges_created_at_idx")
        .on("exchanges")
        .column("created_at")
        .execute();
      await db.schema
        .createIndex("exchanges_chat_idx")
        .on("exchanges")
        .columns(["chat_id", "id"])
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of ["exchanges", "conversations", "jobs", "dedup_keys"]) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
