import type { Exchange } from "../store/store.js";

export const CSV_COLUMNS = [
  "id",
  "created_at",
  "bot_id",
  "chat_id",
  "sender_open_id",
  "conversation_key",
  "message_id",
  "question",
  "answer",
  "model",
  "prompt_tokens",
  "completion_tokens",
  "latency_ms",
  "status",
  "error",
] as const;

function columns(e: Exchange): Record<(typeof CSV_COLUMNS)[number], string | number | null> {
  return {
    id: e.id,
    created_at: new Date(e.createdAt).toISOString(),
    bot_id: e.botId,
    chat_id: e.chatId,
    sender_open_id: e.senderOpenId,
    conversation_key: e.conversationKey,
    message_id: e.messageId,
    question: e.question,
    answer: e.answer,
    model: e.model,
    prompt_tokens: e.promptTokens ?? null,
    completion_tokens: e.completionTokens ?? null,
    latency_ms: e.latencyMs,
    status: e.status,
    error: e.error ?? null,
  };
}

/** One exchange as a JSON line (the `larkgate logs --json` fields, snake_case). */
export function jsonlLine(e: Exchange): string {
  return `${JSON.stringify(columns(e))}\n`;
}

/**
 * One exchange as an RFC 4180 CSV row. A cell starting with `=`, `+`, `-` or `@` gets a
 * leading quote mark, so a spreadsheet never runs a chat message as a formula.
 */
export function csvRow(e: Exchange): string {
  const row = columns(e);
  return `${CSV_COLUMNS.map((name) => csvCell(row[name])).join(",")}\r\n`;
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(",")}\r\n`;
}

function csvCell(value: string | number | null): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
