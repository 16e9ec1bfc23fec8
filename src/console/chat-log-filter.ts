import type { ChatLogQuery } from "../store/store.js";

/** The chat log's filters as they appear in the page's query string. */
export interface ChatLogParams {
  bot?: string;
  chat?: string;
  user?: string;
  conversation?: string;
  since?: string;
  until?: string;
  errors?: string;
  q?: string;
  before?: string;
}

export const CHAT_LOG_PARAMS = [
  "bot",
  "chat",
  "user",
  "conversation",
  "since",
  "until",
  "errors",
  "q",
  "before",
] as const;

/** A filter field whose value could not be read; the page says which and how to write it. */
export class FilterError extends Error {
  constructor(readonly field: "since" | "until") {
    super(`${field} is not a time`);
  }
}

/** `YYYY-MM-DD` or `YYYY-MM-DD HH:MM` (also with `T`), read as UTC. */
function parseTime(value: string, field: "since" | "until"): number {
  const match = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2})?))?$/.exec(value.trim());
  const ms = match ? Date.parse(`${match[1]}T${match[2] ?? "00:00"}Z`) : Number.NaN;
  if (Number.isNaN(ms)) throw new FilterError(field);
  return ms;
}

/** Reads the query string into a store query; empty fields filter nothing. */
export function chatLogQuery(params: ChatLogParams, limit: number): ChatLogQuery {
  const text = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);
  const query: ChatLogQuery = { limit };
  if (text(params.bot)) query.botId = text(params.bot);
  if (text(params.chat)) query.chatId = text(params.chat);
  if (text(params.user)) query.senderOpenId = text(params.user);
  if (text(params.conversation)) query.conversationKey = text(params.conversation);
  if (text(params.since)) query.since = parseTime(params.since!, "since");
  if (text(params.until)) query.until = parseTime(params.until!, "until");
  if (params.errors === "1") query.errorsOnly = true;
  if (text(params.q)) query.text = text(params.q);
  const before = Number(params.before);
  if (params.before && Number.isInteger(before) && before > 0) query.beforeId = before;
  return query;
}

/** The query string of these filters, with some changed (for paging and export links). */
export function filterQueryString(params: ChatLogParams, change: Partial<ChatLogParams> = {}) {
  const search = new URLSearchParams();
  const merged = { ...params, ...change };
  for (const name of CHAT_LOG_PARAMS) {
    const value = merged[name];
    if (value) search.set(name, value);
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}
