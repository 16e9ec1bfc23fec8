import { type Kysely, type Selectable, sql } from "kysely";
import type { Dialect } from "./database.js";
import { parseStringMap } from "./rows.js";
import type { ConversationsTable, Database } from "./schema.js";
import type { ConversationState, Store } from "./store.js";

export type ConversationRepository = Pick<
  Store,
  "getConversation" | "resetConversation" | "updateBackendState" | "updateSettings"
>;

/**
 * Conversation generations and backend state. Every write is one upsert statement, so a
 * Reset racing a backend-state update can't lose either.
 */
export function createConversationRepository(
  db: Kysely<Database>,
  dialect: Dialect,
): ConversationRepository {
  // Merge the incoming keys over the stored ones inside the database, atomically.
  const mergedState =
    dialect === "postgres"
      ? sql<string>`(conversations.backend_state::jsonb || excluded.backend_state::jsonb)::text`
      : sql<string>`json_patch(conversations.backend_state, excluded.backend_state)`;

  // A settings patch may drop keys (`null`): SQLite's json_patch removes them (RFC 7396);
  // PostgreSQL's `||` keeps them as JSON null, which jsonb_strip_nulls then drops. The patch
  // goes in as a parameter, since the inserted row cannot hold the nulls.
  const mergedSettings = (patch: string) =>
    dialect === "postgres"
      ? sql<string>`jsonb_strip_nulls(conversations.settings::jsonb || ${patch}::jsonb)::text`
      : sql<string>`json_patch(conversations.settings, ${patch})`;

  const find = (botId: string, conversationKey: string) =>
    db
      .selectFrom("conversations")
      .selectAll()
      .where("bot_id", "=", botId)
      .where("conversation_key", "=", conversationKey)
      .executeTakeFirst();

  return {
    async getConversation(botId, conversationKey) {
      const existing = await find(botId, conversationKey);
      if (existing !== undefined) return toState(existing);
      await db
        .insertInto("conversations")
        .values({
          bot_id: botId,
          conversation_key: conversationKey,
          generation: 1,
          backend_state: "{}",
          updated_at: Date.now(),
        })
        .onConflict((oc) => oc.columns(["bot_id", "conversation_key"]).doNothing())
        .execute();
      const created = await find(botId, conversationKey);
      if (created === undefined) {
        throw new Error(`Conversation ${conversationKey} of bot ${botId} vanished after insert.`);
      }
      return toState(created);
    },

    async resetConversation(botId, conversationKey) {
      const now = Date.now();
      // A conversation never used before would have started at 1, so its reset yields 2.
      const row = await db
        .insertInto("conversations")
        .values({
          bot_id: botId,
          conversation_key: conversationKey,
          generation: 2,
          backend_state: "{}",
          updated_at: now,
        })
        .onConflict((oc) =>
          oc.columns(["bot_id", "conversation_key"]).doUpdateSet({
            generation: sql<number>`conversations.generation + 1`,
            backend_state: "{}",
            updated_at: now,
          }),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return toState(row);
    },

    async updateBackendState(botId, conversationKey, patch) {
      await db
        .insertInto("conversations")
        .values({
          bot_id: botId,
          conversation_key: conversationKey,
          generation: 1,
          backend_state: JSON.stringify(patch),
          updated_at: Date.now(),
        })
        .onConflict((oc) =>
          oc.columns(["bot_id", "conversation_key"]).doUpdateSet({
            backend_state: mergedState,
            updated_at: (eb) => eb.ref("excluded.updated_at"),
          }),
        )
        .execute();
    },

    async updateSettings(botId, conversationKey, patch) {
      const kept = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== null));
      await db
        .insertInto("conversations")
        .values({
          bot_id: botId,
          conversation_key: conversationKey,
          generation: 1,
          backend_state: "{}",
          settings: JSON.stringify(kept),
          updated_at: Date.now(),
        })
        .onConflict((oc) =>
          oc.columns(["bot_id", "conversation_key"]).doUpdateSet({
            settings: mergedSettings(JSON.stringify(patch)),
            updated_at: (eb) => eb.ref("excluded.updated_at"),
          }),
        )
        .execute();
    },
  };
}

function toState(row: Selectable<ConversationsTable>): ConversationState {
  return {
    botId: row.bot_id,
    conversationKey: row.conversation_key,
    generation: row.generation,
    backendState: parseStringMap(row.backend_state),
    settings: parseStringMap(row.settings),
  };
}
