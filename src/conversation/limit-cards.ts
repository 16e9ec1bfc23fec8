import type { Translate } from "../i18n/translate.js";
import type { InfoCard } from "../messages/info-card.js";
import type { LimitReading } from "../store/store.js";
import type { NamedRule } from "./question-limits.js";

export interface LimitRefusal {
  /** The rule's name, e.g. `tokens.userDay` (`limit.name.*` in the catalogues). */
  name: string;
  /** When it admits again, and the store's clock now. */
  resetsAt: number;
  now: number;
  contact?: string | undefined;
}

/** The short card a question over a limit gets instead of an answer. */
export function limitCard(refusal: LimitRefusal, say: Translate): InfoCard {
  const lines = [
    say("limit.body", {
      limit: limitName(refusal.name, say),
      when: when(refusal.resetsAt, refusal.now, say),
    }),
  ];
  if (refusal.contact) lines.push(say("limit.contact", { contact: refusal.contact }));
  return { title: say("limit.title"), tone: "warning", body: lines.join("\n\n") };
}

export function expiredText(say: Translate): string {
  return say("limit.expired");
}

/** `/usage`'s lines for the limits that apply to the asker. */
export function limitLines(
  rules: readonly NamedRule[],
  readings: readonly LimitReading[],
  now: number,
  say: Translate,
): string[] {
  if (rules.length === 0) return [];
  const lines = [`**${say("usage.limits")}**`];
  let estimated = 0;
  rules.forEach((rule, i) => {
    const reading = readings[i];
    if (!reading) return;
    const limit = limitName(rule.name, say);
    if (rule.kind === "bucket") {
      const left = Math.max(0, Math.floor(rule.capacity - reading.used));
      lines.push(`- ${say("usage.per_minute_row", { limit, left, total: rule.capacity })}`);
      return;
    }
    if (rule.measure === "tokens") estimated += reading.estimated;
    const total = rule.limit + reading.granted;
    lines.push(
      `- ${say("usage.limit_row", {
        limit,
        used: figure(reading.used, rule.measure),
        total: figure(total, rule.measure),
        when: when(reading.resetsAt, now, say),
      })}`,
    );
  });
  if (estimated > 0) lines.push(say("usage.estimated", { n: Math.round(estimated) }));
  return lines;
}

function figure(value: number, measure: string): string {
  return measure === "cost" ? value.toFixed(2) : String(Math.round(value));
}

function limitName(name: string, say: Translate): string {
  return say(`limit.name.${name}` as Parameters<Translate>[0]);
}

/** "in 40 seconds", "in 12 minutes", or the local date and time for a day or a month. */
function when(at: number, now: number, say: Translate): string {
  const ms = Math.max(0, at - now);
  if (ms < 90_000) return say("limit.when.seconds", { n: Math.max(1, Math.ceil(ms / 1000)) });
  if (ms < 3_600_000) return say("limit.when.minutes", { n: Math.ceil(ms / 60_000) });
  const date = new Date(at);
  const pad = (n: number) => String(n).padStart(2, "0");
  const time = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
  return say("limit.when.at", { time });
}
