import type { BucketRule, BudgetRule } from "../store/store.js";

/**
 * The limits one question is checked against, resolved by the composition root from the
 * configuration (the app's, the bot's, the chat's and the user's sections), with every amount
 * a number: what is unlimited is simply absent.
 */
export type Measure = "questions" | "tokens" | "cost";
export type Scope = "user" | "chat" | "bot";
export type BudgetPeriod = "userDay" | "userMonth" | "chatMonth" | "botMonth";

export interface BudgetLimit {
  measure: Measure;
  period: BudgetPeriod;
  limit: number;
}

export interface QuestionLimits {
  /** Requests per minute per user, chat and bot, as token buckets. */
  perMinute: Partial<Record<Scope, number>>;
  budgets: BudgetLimit[];
  /** Epoch ms from which the bot answers `expiredNotice`. */
  expires?: number;
  expiredNotice?: string;
  /** Whom to ask for more, shown on the limit card. */
  contact?: string;
}

export const NO_LIMITS: QuestionLimits = { perMinute: {}, budgets: [] };

export function hasLimits(limits: QuestionLimits): boolean {
  return (
    limits.expires !== undefined ||
    limits.budgets.length > 0 ||
    Object.keys(limits.perMinute).length > 0
  );
}

/** Who is asking, for the counters' keys. */
export interface Asker {
  botId: string;
  chatId: string;
  userOpenId: string;
}

/** A store rule with what the user is told about it. */
export type NamedRule =
  | (BucketRule & { name: `perMinute.${Scope}` })
  | (BudgetRule & { name: `${Measure}.${BudgetPeriod}`; measure: Measure });

const PERIODS: Record<BudgetPeriod, { scope: Scope; window: "day" | "month" }> = {
  userDay: { scope: "user", window: "day" },
  userMonth: { scope: "user", window: "month" },
  chatMonth: { scope: "chat", window: "month" },
  botMonth: { scope: "bot", window: "month" },
};

function scopeId(scope: Scope, who: Asker): string {
  return scope === "user" ? who.userOpenId : scope === "chat" ? who.chatId : "";
}

/**
 * The store's rules for one question. `reserve` is what each measure takes at admission: one
 * question, the prompt's estimated tokens, their cost (undefined: the model has no price, so
 * cost budgets do not apply to it).
 */
export function rulesFor(
  limits: QuestionLimits,
  who: Asker,
  reserve: Record<Measure, number | undefined>,
): NamedRule[] {
  const rules: NamedRule[] = [];
  for (const [scope, perMinute] of Object.entries(limits.perMinute) as [Scope, number][]) {
    rules.push({
      kind: "bucket",
      name: `perMinute.${scope}`,
      key: `rpm:${scope}:${who.botId}:${scopeId(scope, who)}`,
      // A minute's worth at once: a person may ask a few in a row, then waits for the refill.
      capacity: perMinute > 0 ? Math.max(1, perMinute) : 0,
      perMinute,
    });
  }
  for (const budget of limits.budgets) {
    const taken = reserve[budget.measure];
    if (taken === undefined) continue;
    const { scope, window } = PERIODS[budget.period];
    rules.push({
      kind: "budget",
      name: `${budget.measure}.${budget.period}`,
      measure: budget.measure,
      key: `${budget.measure}:${scope}:${window}:${who.botId}:${scopeId(scope, who)}`,
      window,
      limit: budget.limit,
      reserve: taken,
    });
  }
  return rules;
}

/** The rules a user's `/usage` shows: their own, their chat's and the bot's. */
export function readingRules(limits: QuestionLimits, who: Asker): NamedRule[] {
  return rulesFor(limits, who, { questions: 0, tokens: 0, cost: 0 });
}
