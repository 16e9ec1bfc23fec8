import type { Kysely } from "kysely";
import { countRows, inBatches, PRUNE_BATCH } from "./prune-batches.js";
import type { Database, WorkflowPausesTable } from "./schema.js";
import type { PruneOptions, Store, StoredWorkflowPause } from "./store.js";

export type WorkflowPauseRepository = Pick<
  Store,
  "savePause" | "getPause" | "answerPause" | "closePauses" | "prunePauses"
>;

/** Workflows waiting for their user (migration 0008). */
export function createWorkflowPauseRepository(db: Kysely<Database>): WorkflowPauseRepository {
  return {
    async savePause(pause) {
      await db
        .insertInto("workflow_pauses")
        .values({
          id: pause.id,
          bot_id: pause.botId,
          conversation_key: pause.conversationKey,
          generation: pause.generation,
          chat_id: pause.chatId,
          message_id: pause.messageId,
          owner_open_id: pause.ownerOpenId,
          spec: JSON.stringify(pause.spec),
          status: "pending",
          answered_by: null,
          created_at: pause.createdAt,
          expires_at: pause.expiresAt,
        })
        // A job run again after a crash saves the same pause again.
        .onConflict((oc) => oc.column("id").doNothing())
        .execute();
    },

    async getPause(botId, id) {
      const row = await db
        .selectFrom("workflow_pauses")
        .selectAll()
        .where("bot_id", "=", botId)
        .where("id", "=", id)
        .executeTakeFirst();
      return row ? toPause(row) : undefined;
    },

    async answerPause(botId, id, by) {
      const result = await db
        .updateTable("workflow_pauses")
        .set({ status: "answered", answered_by: by })
        .where("bot_id", "=", botId)
        .where("id", "=", id)
        .where("status", "=", "pending")
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    prunePauses: (olderThan, options = {}) => prunePauses(db, olderThan, options),

    async closePauses(botId, conversationKey, keep) {
      let query = db
        .updateTable("workflow_pauses")
        .set({ status: "closed" })
        .where("bot_id", "=", botId)
        .where("conversation_key", "=", conversationKey)
        .where("status", "=", "pending");
      if (keep) query = query.where("id", "!=", keep);
      const result = await query.executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}

/** Pauses past their expiry before `olderThan`, answered or not: no press can use them. */
async function prunePauses(
  db: Kysely<Database>,
  olderThan: number,
  options: PruneOptions,
): Promise<number> {
  const old = db.selectFrom("workflow_pauses").where("expires_at", "<", olderThan);
  if (options.dryRun) return countRows(old);
  const batch = options.batch ?? PRUNE_BATCH;
  return inBatches(batch, async () => {
    const result = await db
      .deleteFrom("workflow_pauses")
      .where("id", "in", old.select("id").limit(batch))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  });
}

function toPause(row: WorkflowPausesTable): StoredWorkflowPause {
  return {
    id: row.id,
    botId: row.bot_id,
    conversationKey: row.conversation_key,
    generation: Number(row.generation),
    chatId: row.chat_id,
    messageId: row.message_id,
    ownerOpenId: row.owner_open_id,
    spec: JSON.parse(row.spec) as unknown,
    status: row.status as StoredWorkflowPause["status"],
    answeredBy: row.answered_by,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
  };
}
