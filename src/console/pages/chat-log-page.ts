import type { Translate } from "../../i18n/translate.js";
import type { Exchange } from "../../store/store.js";
import { type ChatLogParams, filterQueryString } from "../chat-log-filter.js";
import { formatTime } from "../console-layout.js";
import { type Html, html } from "../html.js";

/** How many characters of a question or answer the list shows. */
const PREVIEW_CHARS = 160;

function preview(text: string): string {
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text;
}

/** The filters, then one row per exchange, newest first, with a link to older ones. */
export function chatLogPage(options: {
  t: Translate;
  params: ChatLogParams;
  bots: string[];
  rows: Exchange[];
  /** Set when another page of older rows may follow. */
  more: boolean;
  error?: string;
}): Html {
  const { t, params, rows } = options;
  const field = (name: keyof ChatLogParams, label: string, type = "text") =>
    html`<label>${label}<input type="${type}" name="${name}" value="${params[name] ?? ""}"></label>`;
  const last = rows.at(-1);
  return html`<form method="get" action="/console/chat-log" class="filters" aria-label="${t("console.chat.filters")}">
<label class="wide">${t("console.chat.search")}<input type="search" name="q" value="${params.q ?? ""}"></label>
<label>${t("console.chat.bot")}<select name="bot"><option value=""></option>${options.bots.map(
    (id) => html`<option value="${id}"${params.bot === id ? html` selected` : ""}>${id}</option>`,
  )}</select></label>
${field("chat", t("console.chat.chat"))}
${field("user", t("console.chat.user"))}
${field("conversation", t("console.chat.conversation"))}
${field("since", t("console.chat.since"))}
${field("until", t("console.chat.until"))}
<label class="check"><input type="checkbox" name="errors" value="1"${params.errors === "1" ? html` checked` : ""}>${t("console.chat.errors_only")}</label>
<button type="submit">${t("console.chat.apply")}</button>
<a class="button" href="/console/api/chat-log.jsonl${filterQueryString(params, { before: "" })}">${t("console.chat.export_jsonl")}</a>
<a class="button" href="/console/api/chat-log.csv${filterQueryString(params, { before: "" })}">${t("console.chat.export_csv")}</a>
</form>
${options.error ? html`<p class="bad">${options.error}</p>` : ""}
${
  rows.length === 0
    ? html`<p class="notice">${t("console.chat.none")}</p>`
    : html`<table class="log">
<thead><tr><th>${t("console.chat.time")}</th><th>${t("console.chat.bot")}</th><th>${t("console.chat.question")}</th><th>${t("console.chat.answer")}</th><th>${t("console.chat.status")}</th></tr></thead>
<tbody>${rows.map(
        (row) => html`<tr class="${row.status}">
<td><a href="/console/chat-log/${row.id}">${formatTime(row.createdAt)}</a></td>
<td>${row.botId}</td>
<td class="q">${preview(row.question)}</td>
<td class="a">${row.status === "error" ? html`<code>${row.error ?? ""}</code>` : preview(row.answer)}</td>
<td>${row.status}</td>
</tr>`,
      )}</tbody></table>`
}
${options.more && last ? html`<p><a class="button" href="/console/chat-log${filterQueryString(params, { before: String(last.id) })}">${t("console.chat.older")}</a></p>` : ""}`;
}
