import type { Translate } from "../../i18n/translate.js";
import type { UsageDay } from "../../store/store.js";
import { type Html, html } from "../html.js";

/** Per bot: a bar chart of answers and errors per day, then the table per bot, model, day. */
export function usagePage(t: Translate, days: number, rows: UsageDay[], dayList: string[]): Html {
  if (rows.length === 0)
    return html`<p>${t("console.usage.days", { days })}</p><p class="notice">${t("console.usage.none")}</p>`;
  const bots = [...new Set(rows.map((r) => r.botId))];
  return html`<p>${t("console.usage.days", { days })}</p>
${bots.map(
  (bot) => html`<section class="usage" data-bot="${bot}"><h2>${bot}</h2>
<figure><figcaption>${t("console.usage.chart")}</figcaption>${chart(
    t,
    dayList,
    rows.filter((r) => r.botId === bot),
  )}</figure></section>`,
)}
<table class="usage-table">
<thead><tr><th>${t("console.usage.day")}</th><th>${t("console.chat.bot")}</th><th>${t("console.usage.model")}</th><th>${t("console.usage.answers")}</th><th>${t("console.usage.errors")}</th><th>${t("console.usage.tokens")}</th><th>${t("console.usage.p50")}</th><th>${t("console.usage.p95")}</th></tr></thead>
<tbody>${[...rows]
    .reverse()
    .map(
      (r) =>
        html`<tr><td>${r.day}</td><td>${r.botId}</td><td>${r.model}</td><td>${r.answers}</td><td>${r.errors}</td><td>${r.tokens}</td><td>${r.p50LatencyMs} ms</td><td>${r.p95LatencyMs} ms</td></tr>`,
    )}</tbody></table>`;
}

const WIDTH = 640;
const HEIGHT = 160;
const PAD = 24;

/** Stacked bars (answers, errors) per day, drawn on the server: no chart library, no script. */
function chart(t: Translate, dayList: string[], rows: UsageDay[]): Html {
  const perDay = new Map<string, { answers: number; errors: number }>();
  for (const r of rows) {
    const d = perDay.get(r.day) ?? { answers: 0, errors: 0 };
    d.answers += r.answers;
    d.errors += r.errors;
    perDay.set(r.day, d);
  }
  const max = Math.max(1, ...[...perDay.values()].map((d) => d.answers + d.errors));
  const slot = (WIDTH - PAD) / Math.max(1, dayList.length);
  const bar = Math.max(2, slot * 0.7);
  const scale = (n: number) => (n / max) * (HEIGHT - PAD);
  return html`<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${t("console.usage.chart")}">
<line x1="${PAD}" y1="${HEIGHT - PAD}" x2="${WIDTH}" y2="${HEIGHT - PAD}" class="axis"/>
<text x="0" y="12" class="label">${max}</text>
${dayList.map((day, i) => {
  const d = perDay.get(day) ?? { answers: 0, errors: 0 };
  const x = PAD + i * slot;
  const answered = scale(d.answers);
  const failed = scale(d.errors);
  return html`<g><title>${day}: ${d.answers} ${t("console.usage.answers")}, ${d.errors} ${t("console.usage.errors")}</title>
<rect class="answers" x="${x.toFixed(1)}" y="${(HEIGHT - PAD - answered).toFixed(1)}" width="${bar.toFixed(1)}" height="${answered.toFixed(1)}"/>
<rect class="errors" x="${x.toFixed(1)}" y="${(HEIGHT - PAD - answered - failed).toFixed(1)}" width="${bar.toFixed(1)}" height="${failed.toFixed(1)}"/>
${i === 0 || i === dayList.length - 1 ? html`<text x="${x.toFixed(1)}" y="${HEIGHT - 6}" class="label">${day.slice(5)}</text>` : ""}</g>`;
})}
</svg>`;
}
