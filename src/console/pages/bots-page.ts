import type { Translate } from "../../i18n/translate.js";
import type { Exchange } from "../../store/store.js";
import { formatTime } from "../console-layout.js";
import type { ConsoleBot } from "../console-views.js";
import { type Html, html } from "../html.js";

/** Each bot: how Lark reaches it, whether it does, its app and answer path, its last errors. */
export function botsPage(
  t: Translate,
  bots: ConsoleBot[],
  baseUrl: string,
  recentErrors: Map<string, Exchange[]>,
): Html {
  if (bots.length === 0) return html`<p class="notice">${t("console.bots.none")}</p>`;
  return html`${bots.map((bot) => botCard(t, bot, baseUrl, recentErrors.get(bot.id) ?? []))}`;
}

function botCard(t: Translate, bot: ConsoleBot, baseUrl: string, errors: Exchange[]): Html {
  const state = bot.eventMode === "websocket" ? connectionState(t, bot) : pushState(t, bot);
  const healthy =
    bot.credentials.ok &&
    (bot.eventMode === "webhook" || bot.longConnection?.state === "connected");
  return html`<section class="bot" data-bot="${bot.id}">
<h2><span class="dot ${healthy ? "ok" : "bad"}"></span>${bot.name ? `${bot.name} (${bot.id})` : bot.id}</h2>
<dl>
<dt>App ID</dt><dd><code>${bot.appId}</code> · ${bot.domain}</dd>
<dt>${t("console.bots.mode")}</dt><dd class="mode">${t(bot.eventMode === "websocket" ? "console.bots.mode.websocket" : "console.bots.mode.webhook")}</dd>
<dt>${t("console.bots.app")}</dt><dd>${bot.backend}${bot.model ? ` · ${bot.model}` : ""}</dd>
<dt>${t("console.bots.answer_path")}</dt><dd>${t(`console.bots.answer_path.${bot.answerMode ?? "auto"}`)}</dd>
</dl>
<p class="${bot.credentials.ok ? "ok" : "bad"}">${bot.credentials.ok ? t("console.bots.credentials_ok") : t("console.bots.credentials_bad", { reason: bot.credentials.reason })}</p>
${state}
${
  bot.eventMode === "webhook"
    ? html`<h3>${t("console.bots.request_urls")}</h3><ul class="urls">${bot.requestPaths.map(
        (path) =>
          html`<li><code class="request-url">${baseUrl}${path}</code> <button type="button" class="copy" data-copy="${baseUrl}${path}">${t("console.bots.copy")}</button></li>`,
      )}</ul>`
    : ""
}
<h3>${t("console.bots.recent_errors")}</h3>
${
  errors.length === 0
    ? html`<p>${t("console.bots.no_errors")}</p>`
    : html`<ul class="errors">${errors.map(
        (e) =>
          html`<li><a href="/console/chat-log/${e.id}">${formatTime(e.createdAt)}</a> <code>${e.error ?? ""}</code></li>`,
      )}</ul>`
}
</section>`;
}

function pushState(t: Translate, bot: ConsoleBot): Html {
  const pushes = bot.pushes;
  if (!pushes || (pushes.acked === 0 && pushes.rejected === 0))
    return html`<p class="warn state">${t("console.bots.no_push")}</p>`;
  return html`<p class="state">${t("console.bots.pushes", { acked: pushes.acked, rejected: pushes.rejected })}<br>${t("console.bots.last_push", { when: formatTime(pushes.lastAckedAt) })}</p>
${
  pushes.lastRejected
    ? html`<p class="bad">${t("console.bots.last_refusal", {
        code: pushes.lastRejected.code,
        when: formatTime(pushes.lastRejected.at),
        route: pushes.lastRejected.route,
      })}</p>`
    : ""
}`;
}

function connectionState(t: Translate, bot: ConsoleBot): Html {
  const c = bot.longConnection;
  if (!c)
    return html`<p class="bad state">${t("console.bots.connection", { state: "not opened", when: "—", reconnects: 0 })}</p>`;
  return html`<p class="state ${c.state === "connected" ? "ok" : "bad"}">${t(
    "console.bots.connection",
    {
      state: c.state,
      when: formatTime(c.since),
      reconnects: c.reconnects,
    },
  )}</p>${c.lastError ? html`<p class="bad">${t("console.bots.connection_error", { error: c.lastError })}</p>` : ""}`;
}
