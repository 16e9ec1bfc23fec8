import { type Kysely, sql } from "kysely";
import type { Dialect } from "./database.js";
import { toExchange } from "./rows.js";
import type { Database } from "./schema.js";
import type { ChatLogQuery, Exchange, UsageDay } from "./store.js";

const DAY_MS = 86_400_000;

/** The console's reads of the chat log: pages of it newest first, and usage per bot and day. */
export function createChatLogQueries(db: Kysely<Database>, dialect: Dialect) {
  // Case-insensitive on both: SQLite's LIKE is for ASCII, PostgreSQL's is not at all.
  const like = dialect === "postgres" ? sql.raw("ilike") : sql.raw("like");
  return {
    async searchChatLog(query: ChatLogQuery): Promise<Exchange[]> {
      let q = db.selectFrom("exchanges").selectAll();
      if (query.botId) q = q.where("bot_id", "=", query.botId);
      if (query.chatId) q = q.where("chat_id", "=", query.chatId);
      if (query.senderOpenId) q = q.where("sender_open_id", "=", query.senderOpenId);
      if (query.conversationKey) q = q.where("conversation_key", "=", query.conversationKey);
      if (query.since !== undefined) q = q.where("created_at", ">=", query.since);
      if (query.until !== undefined) q = q.where("created_at", "<", query.until);
      if (query.beforeId !== undefined) q = q.where("id", "<", query.beforeId);
      if (query.errorsOnly) q = q.where("status", "=", "error");
      const text = query.text?.trim();
      if (text) {
        // LIKE's wildcards in the user's words are matched as themselves.
        const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        const scan = sql<boolean>`(question ${like} ${pattern} escape '\\' or answer ${like} ${pattern} escape '\\')`;
        // SQLite: the trigram index finds candidates (3+ characters), LIKE keeps the same
        // semantics as without it. PostgreSQL's planner uses its trigram indexes for ILIKE.
        q =
          dialect === "sqlite" && [...text].length >= 3
            ? q
                .where(
                  sql<boolean>`id in (select rowid from exchanges_fts where exchanges_fts match ${ftsPhrase(text)})`,
                )
                .where(scan)
            : q.where(scan);
      }
      const rows = await q.orderBy("id", "desc").limit(Math.max(0, query.limit)).execute();
      return rows.map(toExchange);
    },

    async usageByDay(since: number): Promise<UsageDay[]> {
      const rows = await db
        .selectFrom("exchanges")
        .select(["bot_id", "model", "status", "latency_ms", "created_at", "prompt_tokens"])
        .select("completion_tokens")
        .where("created_at", ">=", since)
        .execute();
      const groups = new Map<string, UsageDay & { latencies: number[] }>();
      for (const row of rows) {
        const day = new Date(Math.floor(Number(row.created_at) / DAY_MS) * DAY_MS)
          .toISOString()
          .slice(0, 10);
        const key = `${row.bot_id}\u0000${row.model}\u0000${day}`;
        let group = groups.get(key);
        if (!group) {
          group = {
            botId: row.bot_id,
            model: row.model,
            day,
            answers: 0,
            errors: 0,
            tokens: 0,
            p50LatencyMs: 0,
            p95LatencyMs: 0,
            latencies: [],
          };
          groups.set(key, group);
        }
        if (row.status === "error") group.errors += 1;
        else {
          group.answers += 1;
          group.latencies.push(Number(row.latency_ms));
        }
        group.tokens += Number(row.prompt_tokens ?? 0) + Number(row.completion_tokens ?? 0);
      }
      return [...groups.values()]
        .map(({ latencies, ...group }) => {
          latencies.sort((a, b) => a - b);
          return {
            ...group,
            p50LatencyMs: percentile(latencies, 0.5),
            p95LatencyMs: percentile(latencies, 0.95),
          };
        })
        .sort((a, b) => a.day.localeCompare(b.day) || a.botId.localeCompare(b.botId));
    },
  };
}

/** The words as one FTS5 phrase: quoted, so operators and punctuation in them mean nothing. */
function ftsPhrase(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/** Nearest-rank percentile of sorted values; 0 for none. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
}
