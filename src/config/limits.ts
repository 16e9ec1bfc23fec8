/**
 * Budgets and limits as configured (`limits:` under a bot or an app). Every limit is absent
 * by default: unlimited, as before. `false` in an override lifts a limit set above it.
 */

/** A limit value: an amount, or `false` to lift one inherited from the app or the bot. */
export type LimitValue = number | false;

/** One measure's budgets: per user per day and month, per chat and per bot per month. */
export interface BudgetSettings {
  userDay?: LimitValue;
  userMonth?: LimitValue;
  chatMonth?: LimitValue;
  botMonth?: LimitValue;
}

export interface LimitSettings {
  /** Requests per minute, smoothed as token buckets (FastGPT's QPM). */
  perMinute?: { user?: LimitValue; chat?: LimitValue; bot?: LimitValue };
  /** Questions sent to the model. */
  questions?: BudgetSettings;
  /** Prompt plus completion tokens, as the backend reports them (estimated when it does not). */
  tokens?: BudgetSettings;
  /** Money, in the unit of the app's `prices`, for the models that have a price. */
  cost?: BudgetSettings;
  /** Epoch ms from which the bot (or app) answers `expiredNotice` instead. */
  expires?: number;
  /** What an expired bot says; absent: the default text in the bot's language. */
  expiredNotice?: string;
  /** Whom a user over a limit may ask (a name, a chat, a link), shown on the limit card. */
  contact?: string;
  /** At most this many answers of the bot in progress at once; the rest wait in order. */
  concurrency?: number;
}

export interface Limits extends LimitSettings {
  /** chat_id → limits over the bot's, for that chat. */
  chats?: Record<string, LimitSettings>;
  /** open_id → limits over the chat's, for that user. */
  users?: Record<string, LimitSettings>;
}

/** Per million tokens, in whatever currency `cost` budgets use. */
export interface ModelPrice {
  input: number;
  output: number;
}

const GROUPS = ["perMinute", "questions", "tokens", "cost"] as const;
const SINGLE = ["expires", "expiredNotice", "contact", "concurrency"] as const;

/** `over` on top of `base`, group by group; a later `false` lifts an earlier limit. */
export function mergeLimits(base: LimitSettings, over: LimitSettings | undefined): LimitSettings {
  if (!over) return base;
  const out: LimitSettings = { ...base };
  for (const group of GROUPS) {
    if (over[group]) out[group] = { ...base[group], ...over[group] } as never;
  }
  for (const key of SINGLE) {
    if (over[key] !== undefined) (out as Record<string, unknown>)[key] = over[key];
  }
  return out;
}

/**
 * What applies to one user in one chat: the app's limits, the bot's over them, then each one's
 * section for the chat, then for the user.
 */
export function effectiveLimits(
  layers: ReadonlyArray<Limits | undefined>,
  chatId: string,
  userOpenId: string,
): LimitSettings {
  let out: LimitSettings = {};
  for (const layer of layers) out = mergeLimits(out, layer && withoutOverrides(layer));
  for (const layer of layers) out = mergeLimits(out, layer?.chats?.[chatId]);
  for (const layer of layers) out = mergeLimits(out, layer?.users?.[userOpenId]);
  return out;
}

function withoutOverrides(limits: Limits): LimitSettings {
  const { chats: _chats, users: _users, ...own } = limits;
  return own;
}

/** A configured amount, or undefined when unlimited (absent, or lifted with `false`). */
export function amount(value: LimitValue | undefined): number | undefined {
  return value === false || value === undefined ? undefined : value;
}
