import type { Exchange } from "../store/store.js";

const QUESTION_CHARS = 60;
const ANSWER_CHARS = 80;

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** `2026-11-21 10:03:12` in local time. */
export function formatTime(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** One line of text: whitespace collapsed, cut with an ellipsis. */
function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function latency(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${(ms / 1000).toFixed(1)}s`;
}

function tokens(exchange: Exchange): string {
  const { promptTokens: p, completionTokens: c } = exchange;
  if (p == null && c == null) return "- tok";
  return `${p ?? "?"}+${c ?? "?"} tok`;
}

/**
 * One chat-log entry for a terminal:
 * `2026-11-21 10:03:12  support  oc_…  ou_…  done  1.2s  gpt-4o  12+40 tok  "question" → "answer"`.
 */
export function formatExchange(exchange: Exchange): string {
  const outcome =
    exchange.status === "error"
      ? `✗ ${oneLine(exchange.error ?? "error", ANSWER_CHARS)}`
      : JSON.stringify(oneLine(exchange.answer, ANSWER_CHARS));
  return [
    formatTime(exchange.createdAt),
    exchange.botId,
    exchange.chatId,
    exchange.senderOpenId,
    exchange.status,
    latency(exchange.latencyMs),
    exchange.model || "-",
    tokens(exchange),
    `${JSON.stringify(oneLine(exchange.question, QUESTION_CHARS))} → ${outcome}`,
  ].join("  ");
}

/** One JSON object per line, with the time also as ISO 8601 for tools like jq. */
export function exchangeJson(exchange: Exchange): string {
  return JSON.stringify({ ...exchange, time: new Date(exchange.createdAt).toISOString() });
}
