import type { Selectable } from "kysely";
import type { ExchangesTable, JobsTable } from "./schema.js";
import type { Exchange, Job, JobKind, JobStatus } from "./store.js";

export type JobRow = Selectable<JobsTable>;
export type ExchangeRow = Selectable<ExchangesTable>;

export function toJob(row: JobRow): Job {
  return {
    id: row.id,
    botId: row.bot_id,
    kind: row.kind as JobKind,
    conversationKey: row.conversation_key,
    payload: JSON.parse(row.payload) as unknown,
    status: row.status as JobStatus,
    attempts: row.attempts,
    leaseOwner: row.lease_owner,
    leaseUntil: row.lease_until,
    createdAt: row.created_at,
    error: row.error,
    delivery: row.delivery ? (JSON.parse(row.delivery) as unknown) : null,
  };
}

export function toExchange(row: ExchangeRow): Exchange {
  const exchange: Exchange = {
    id: row.id,
    botId: row.bot_id,
    conversationKey: row.conversation_key,
    generation: row.generation,
    chatId: row.chat_id,
    senderOpenId: row.sender_open_id,
    messageId: row.message_id,
    question: row.question,
    answer: row.answer,
    model: row.model,
    promptTokens: row.prompt_tokens,
    completionTokens: row.completion_tokens,
    latencyMs: row.latency_ms,
    error: row.error,
    status: row.status as Exchange["status"],
    answerMessageId: row.answer_message_id,
    inHistory: row.in_history === 1,
    createdAt: row.created_at,
  };
  if (row.reasoning !== null) exchange.reasoning = row.reasoning;
  return exchange;
}

/**
 * Backend state and settings are flat string maps; anything else in the column is ignored, not
 * trusted.
 */
export function parseStringMap(text: string): Record<string, string> {
  const parsed = JSON.parse(text) as unknown;
  const state: Record<string, string> = {};
  if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
    for (const [key, value] of Object.entries(parsed)) {
      if (typeof value === "string") state[key] = value;
    }
  }
  return state;
}
