import type { ExpressionBuilder, Kysely } from "kysely";
import { countRows, inBatches, PRUNE_BATCH } from "./prune-batches.js";
import type { Database } from "./schema.js";
import type { PendingFile, Store } from "./store.js";

export type PendingFileRepository = Pick<
  Store,
  "holdFiles" | "takeHeldFiles" | "filesTakenBy" | "prunePendingFiles"
>;

/** Files waiting for a question, and the files each question took (migration 0005). */
export function createPendingFileRepository(db: Kysely<Database>): PendingFileRepository {
  return {
    async holdFiles(botId, conversationKey, files, { now = Date.now(), expireBefore }) {
      await db.transaction().execute(async (tx) => {
        await tx
          .deleteFrom("pending_files")
          .where("bot_id", "=", botId)
          .where("conversation_key", "=", conversationKey)
          .where("created_at", "<", expireBefore)
          .execute();
        if (files.length === 0) return;
        await tx
          .insertInto("pending_files")
          .values(
            files.map((file) => ({
              bot_id: botId,
              conversation_key: conversationKey,
              message_id: file.messageId,
              file_key: file.key,
              file_name: file.name,
              taken_by: null,
              created_at: now,
            })),
          )
          .execute();
      });
    },

    async takeHeldFiles(botId, conversationKey, takenBy, notBefore) {
      return db.transaction().execute(async (tx) => {
        const rows = await tx
          .selectFrom("pending_files")
          .select(["id", "message_id", "file_key", "file_name"])
          .where("bot_id", "=", botId)
          .where("conversation_key", "=", conversationKey)
          .where("taken_by", "is", null)
          .where("created_at", ">=", notBefore)
          .orderBy("id")
          .execute();
        if (rows.length === 0) return [];
        await tx
          .updateTable("pending_files")
          .set({ taken_by: takenBy })
          .where(
            "id",
            "in",
            rows.map((row) => row.id),
          )
          .where("taken_by", "is", null)
          .execute();
        return rows.map(toFile);
      });
    },

    async filesTakenBy(botId, messageId) {
      const rows = await db
        .selectFrom("pending_files")
        .select(["message_id", "file_key", "file_name"])
        .where("bot_id", "=", botId)
        .where("taken_by", "=", messageId)
        .orderBy("id")
        .execute();
      return rows.map(toFile);
    },

    async prunePendingFiles(waitingBefore, takenBefore, options = {}) {
      const expired = (eb: ExpressionBuilder<Database, "pending_files">) =>
        eb.or([
          eb.and([eb("taken_by", "is", null), eb("created_at", "<", waitingBefore)]),
          eb.and([eb("taken_by", "is not", null), eb("created_at", "<", takenBefore)]),
        ]);
      if (options.dryRun) return countRows(db.selectFrom("pending_files").where(expired));
      const batch = options.batch ?? PRUNE_BATCH;
      return inBatches(batch, async () => {
        const ids = db.selectFrom("pending_files").select("id").where(expired).limit(batch);
        const result = await db
          .deleteFrom("pending_files")
          .where("id", "in", ids)
          .executeTakeFirst();
        return Number(result.numDeletedRows);
      });
    },
  };
}

function toFile(row: { message_id: string; file_key: string; file_name: string }): PendingFile {
  return { messageId: row.message_id, key: row.file_key, name: row.file_name };
}
