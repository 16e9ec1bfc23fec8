import type { AppConfig, BotConfig } from "../config/config.js";
import { amount, effectiveLimits, type LimitSettings } from "../config/limits.js";
import type {
  BudgetLimit,
  BudgetPeriod,
  Measure,
  QuestionLimits,
  Scope,
} from "../conversation/question-limits.js";

const MEASURES: readonly Measure[] = ["questions", "tokens", "cost"];
const PERIODS: readonly BudgetPeriod[] = ["userDay", "userMonth", "chatMonth", "botMonth"];
const SCOPES: readonly Scope[] = ["user", "chat", "bot"];

/**
 * A bot's limits per chat and user, from its app's `limits:` and its own over them (then the
 * sections for the chat, then for the user). Read from the configuration the bot was built
 * with, so a reload changes the limits while the counters, in the store, go on.
 */
export function limitsFor(
  config: BotConfig,
  appFor: (chatId: string) => AppConfig,
): ((chatId: string, userOpenId: string) => QuestionLimits) | undefined {
  const apps = [config.app, ...Object.values(config.chatOverrides ?? {}).map((o) => o.app)];
  if (!config.limits && !apps.some((app) => app?.limits)) return undefined;
  return (chatId, userOpenId) =>
    questionLimits(effectiveLimits([appFor(chatId).limits, config.limits], chatId, userOpenId));
}

export function questionLimits(settings: LimitSettings): QuestionLimits {
  const perMinute: QuestionLimits["perMinute"] = {};
  for (const scope of SCOPES) {
    const value = amount(settings.perMinute?.[scope]);
    if (value !== undefined) perMinute[scope] = value;
  }
  const budgets: BudgetLimit[] = [];
  for (const measure of MEASURES) {
    for (const period of PERIODS) {
      const limit = amount(settings[measure]?.[period]);
      if (limit !== undefined) budgets.push({ measure, period, limit });
    }
  }
  return {
    perMinute,
    budgets,
    ...(settings.expires !== undefined ? { expires: settings.expires } : {}),
    ...(settings.expiredNotice ? { expiredNotice: settings.expiredNotice } : {}),
    ...(settings.contact ? { contact: settings.contact } : {}),
  };
}

/** Bot id → its `limits.concurrency` (the bot's, else its app's), for the bots that have one. */
export function concurrencyCaps(bots: readonly BotConfig[]): Record<string, number> {
  const caps: Record<string, number> = {};
  for (const bot of bots) {
    const cap = bot.limits?.concurrency ?? bot.app.limits?.concurrency;
    if (cap !== undefined) caps[bot.id] = cap;
  }
  return caps;
}
