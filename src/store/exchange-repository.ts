import type { Kysely, SelectQueryBuilder } from "kysely";
import { applySettlements } from "./limit-counters.js";
import { countRows, inBatches, PRUNE_BATCH } from "./prune-batches.js";
import { toExchange } from "./rows.js";
import type { Database } from "./schema.js";
import { JobNotHeldError, type NewExchange, type Store } from "./store.js";

export type ExchangeRepository = Pick<
  Store,
  | "recordExchange"
  | "loadHistory"
  | "supersedeExchange"
  | "getExchange"
  | "listExchanges"
  | "pruneChatLog"
  | "usage"
>;

/**
 * The chat log, which doubles as conversation history: an exchange is history while
 * `in_history` is set and its generation is the conversation's current one.
 */
export function createExchangeRepository(db: Kysely<Database>): ExchangeRepository {
  return {
    async usage(filter) {
      let query = db
        .selectFrom("exchanges")
        .select((eb) => [
          eb.fn.countAll<number | string>().as("answers"),
          eb.fn
            .sum<number | string | null>(
              eb(
                eb.fn.coalesce("prompt_tokens", eb.lit(0)),
                "+",
                eb.fn.coalesce("completion_tokens", eb.lit(0)),
              ),
            )
            .as("tokens"),
        ])
        .where("bot_id", "=", filter.botId)
        .where("created_at", ">=", filter.since)
        .where("status", "!=", "error");
      if (filter.conversationKey)
        query = query.where("conversation_key", "=", filter.conversationKey);
      if (filter.senderOpenId) query = query.where("sender_open_id", "=", filter.senderOpenId);
      const row = await query.executeTakeFirst();
      // PostgreSQL returns bigint aggregates as strings.
      return { answers: Number(row?.answers ?? 0), tokens: Number(row?.tokens ?? 0) };
    },

    async recordExchange(exchange, now = Date.now(), finishing, settle = []) {
      const row = {
        bot_id: exchange.botId,
        conversation_key: exchange.conversationKey,
        generation: exchange.generation,
        chat_id: exchange.chatId,
        sender_open_id: exchange.senderOpenId,
        message_id: exchange.messageId,
        question: exchange.question,
        answer: exchange.answer,
        reasoning: exchange.reasoning ?? null,
        model: exchange.model,
        prompt_tokens: exchange.promptTokens ?? null,
        completion_tokens: exchange.completionTokens ?? null,
        latency_ms: Math.round(exchange.latencyMs),
        error: exchange.error ?? null,
        status: exchange.status,
        answer_message_id: exchange.answerMessageId ?? null,
        in_history: countsAsHistory(exchange) ? 1 : 0,
        created_at: now,
      };
      if (finishing === undefined && settle.length === 0) {
        const inserted = await db
          .insertInto("exchanges")
          .values(row)
          .returningAll()
          .executeTakeFirstOrThrow();
        return toExchange(inserted);
      }
      return db.transaction().execute(async (trx) => {
        if (finishing === undefined) {
          await applySettlements(trx, settle);
          return toExchange(
            await trx.insertInto("exchanges").values(row).returningAll().executeTakeFirstOrThrow(),
          );
        }
        const finished = await trx
          .updateTable("jobs")
          .set({ status: "done", error: null, lease_until: null, updated_at: now })
          .where("id", "=", finishing.jobId)
          .where("status", "=", "running")
          .where("lease_owner", "=", finishing.owner)
          .executeTakeFirst();
        if (Number(finished.numUpdatedRows) === 0) throw new JobNotHeldError(finishing.jobId);
        // The budgets learn what the answer cost in the transaction that records it.
        await applySettlements(trx, settle);
        const inserted = await trx
          .insertInto("exchanges")
          .values(row)
          .returningAll()
          .executeTakeFirstOrThrow();
        return toExchange(inserted);
      });
    },

    async loadHistory(botId, conversationKey, generation, { limit, beforeId }) {
      if (limit <= 0) return [];
      // Newest first so LIMIT keeps the most recent turns; walks exchanges_history_idx backwards
      // from `beforeId`, which is the index's last column.
      let query = db
        .selectFrom("exchanges")
        .select(["id", "question", "answer"])
        .where("bot_id", "=", botId)
        .where("conversation_key", "=", conversationKey)
        .where("generation", "=", generation)
        .where("in_history", "=", 1);
      if (beforeId !== undefined) query = query.where("id", "<", beforeId);
      return query.orderBy("id", "desc").limit(limit).execute();
    },

    async supersedeExchange(id) {
      await db.updateTable("exchanges").set({ in_history: 0 }).where("id", "=", id).execute();
    },

    async getExchange(id) {
      const row = await db
        .selectFrom("exchanges")
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirst();
      return row === undefined ? undefined : toExchange(row);
    },

    /**
     * `since` is inclusive, `until` exclusive. With `afterId` (following the log) the first
     * `limit` exchanges after it are returned, so a follower never skips rows; otherwise
     * the most recent `limit`. No `limit` means every match. Either way oldest first.
     */
    async listExchanges(filter) {
      let query = db.selectFrom("exchanges").selectAll();
      if (filter.botId !== undefined) query = query.where("bot_id", "=", filter.botId);
      if (filter.chatId !== undefined) query = query.where("chat_id", "=", filter.chatId);
      if (filter.senderOpenId !== undefined) {
        query = query.where("sender_open_id", "=", filter.senderOpenId);
      }
      if (filter.conversationKey !== undefined) {
        query = query.where("conversation_key", "=", filter.conversationKey);
      }
      if (filter.since !== undefined) query = query.where("created_at", ">=", filter.since);
      if (filter.until !== undefined) query = query.where("created_at", "<", filter.until);
      if (filter.afterId !== undefined) query = query.where("id", ">", filter.afterId);

      const following = filter.afterId !== undefined;
      query = query.orderBy("id", following ? "asc" : "desc");
      if (filter.limit !== undefined) query = query.limit(Math.max(0, filter.limit));
      const rows = await query.execute();
      if (!following) rows.reverse();
      return rows.map(toExchange);
    },

    async pruneChatLog(olderThan, options = {}) {
      const old = <O>(q: SelectQueryBuilder<Database, "exchanges", O>) => {
        let query = q.where("created_at", "<", olderThan);
        // "" matches no bot, and keeps the list non-empty, which SQL's IN needs.
        if (options.onlyBots) query = query.where("bot_id", "in", [...options.onlyBots, ""]);
        if (options.exceptBots?.length) query = query.where("bot_id", "not in", options.exceptBots);
        return query;
      };
      if (options.dryRun) return countRows(old(db.selectFrom("exchanges")));
      const batch = options.batch ?? PRUNE_BATCH;
      return inBatches(batch, async () => {
        const result = await db
          .deleteFrom("exchanges")
          .where("id", "in", old(db.selectFrom("exchanges").select("id")).limit(batch))
          .executeTakeFirst();
        return Number(result.numDeletedRows);
      });
    },
  };
}

/**
 * Failed exchanges are never history, and neither is an empty answer (a turn stopped before
 * any text, or a model that produced none): replaying it would send the backend an empty
 * assistant message.
 */
function countsAsHistory(exchange: NewExchange): boolean {
  return exchange.status !== "error" && exchange.answer.trim() !== "";
}
