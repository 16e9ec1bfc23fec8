import type { Translate } from "../../i18n/translate.js";
import type { Exchange } from "../../store/store.js";
import { answerCardHtml } from "../card-html.js";
import { formatTime } from "../console-layout.js";
import { type Html, html, trusted } from "../html.js";

/** One conversation as a thread: each question, and its answer as the Lark card showed it. */
export function threadPage(t: Translate, exchanges: Exchange[], focusId: number): Html {
  return html`<p class="meta">chat <code>${exchanges[0]?.chatId ?? ""}</code> · bot <code>${exchanges[0]?.botId ?? ""}</code></p>
<ol class="thread">${exchanges.map((e) => turn(t, e, e.id === focusId))}</ol>`;
}

function turn(t: Translate, e: Exchange, focused: boolean): Html {
  const tokens =
    e.promptTokens == null && e.completionTokens == null
      ? "—"
      : `${e.promptTokens ?? 0} + ${e.completionTokens ?? 0}`;
  return html`<li id="exchange-${e.id}" class="turn ${e.status}${focused ? " focused" : ""}">
<div class="question"><span class="who">${e.senderOpenId}</span> <time>${formatTime(e.createdAt)}</time><p>${e.question}</p></div>
<div class="answer card">${trusted(answerCardHtml(e.answer))}</div>
${
  e.reasoning
    ? html`<details class="reasoning"><summary>${t("console.thread.reasoning")}</summary><pre>${e.reasoning}</pre></details>`
    : ""
}
<dl class="facts">
<dt>${t("console.thread.model")}</dt><dd>${e.model}</dd>
<dt>${t("console.thread.tokens")}</dt><dd>${tokens}</dd>
<dt>${t("console.thread.latency")}</dt><dd>${Math.round(e.latencyMs)} ms</dd>
<dt>${t("console.chat.status")}</dt><dd>${e.status}</dd>
${e.error ? html`<dt>${t("console.thread.error")}</dt><dd class="bad"><code>${e.error}</code></dd>` : ""}
<dt>${t("console.thread.reference")}</dt><dd><code>${e.messageId}</code></dd>
</dl>
</li>`;
}
