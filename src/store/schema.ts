import type { ColumnType, Generated } from "kysely";

/**
 * Table types for Kysely. Portable across SQLite and PostgreSQL: times are epoch milliseconds
 * in bigint columns (read back as numbers on both), JSON is stored as text, and booleans are
 * 0/1 integers because SQLite has no boolean type.
 */
export interface Database {
  dedup_keys: DedupKeysTable;
  jobs: JobsTable;
  conversations: ConversationsTable;
  exchanges: ExchangesTable;
  pending_files: PendingFilesTable;
  limit_counters: LimitCountersTable;
  workflow_pauses: WorkflowPausesTable;
}

/** Workflows waiting for the user's answer (migration 0008). */
export interface WorkflowPausesTable {
  id: string;
  bot_id: string;
  conversation_key: string;
  generation: number;
  chat_id: string;
  message_id: string;
  owner_open_id: string;
  /** JSON text of the WorkflowPause. */
  spec: string;
  /** `pending`, `answered` or `closed` (the user wrote instead, or a Reset). */
  status: string;
  answered_by: string | null;
  created_at: number;
  expires_at: number;
}

/** Files sent without a question (migration 0005). */
export interface PendingFilesTable {
  id: Generated<number>;
  bot_id: string;
  conversation_key: string;
  message_id: string;
  file_key: string;
  file_name: string;
  /** The message of the question that took the file; null while it waits. */
  taken_by: string | null;
  created_at: number;
}

export interface DedupKeysTable {
  key: string;
  created_at: number;
}

export interface JobsTable {
  id: Generated<number>;
  bot_id: string;
  kind: string;
  conversation_key: string;
  /** JSON text. */
  payload: string;
  status: string;
  attempts: number;
  lease_owner: string | null;
  lease_until: number | null;
  error: string | null;
  created_at: number;
  updated_at: number;
  /** JSON text: where the answer is shown while the job runs (migration 0002). */
  delivery: string | null;
}

export interface ConversationsTable {
  bot_id: string;
  conversation_key: string;
  generation: number;
  /** JSON text of a string-to-string map. */
  backend_state: string;
  /** JSON text of a string-to-string map: the user's choices for this conversation. */
  settings: ColumnType<string, string | undefined, string>;
  updated_at: number;
}

export interface ExchangesTable {
  id: Generated<number>;
  bot_id: string;
  conversation_key: string;
  generation: number;
  chat_id: string;
  sender_open_id: string;
  message_id: string;
  question: string;
  answer: string;
  reasoning: string | null;
  model: string;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  latency_ms: number;
  error: string | null;
  status: string;
  answer_message_id: string | null;
  /** 1 while the exchange counts as conversation history, 0 once superseded or failed. */
  in_history: number;
  created_at: number;
}

/** Budget and rate-limit counters (migration 0004); see limit-counters.ts. */
export interface LimitCountersTable {
  key: string;
  window_start: number;
  used: number;
  granted: ColumnType<number, number | undefined, number>;
  estimated: ColumnType<number, number | undefined, number>;
  updated_at: number;
}
