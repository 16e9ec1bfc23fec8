import { z } from "zod";
import { mapping, number, optionalText } from "./config-file-fields.js";
import type { Limits, ModelPrice } from "./limits.js";

/** A limit: an amount, or `false` to lift one set by the app or the bot. */
const LIMIT_ERROR = "must be a number (0 or more), or false to lift a limit set above";
const limit = z.preprocess(
  (value) =>
    typeof value === "string" && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value,
  z.union(
    [
      z.literal(false),
      z
        .number({ error: () => LIMIT_ERROR })
        .min(0, LIMIT_ERROR)
        .finite(LIMIT_ERROR),
    ],
    { error: () => LIMIT_ERROR },
  ),
);

const budgets = mapping({
  userDay: limit.optional(),
  userMonth: limit.optional(),
  chatMonth: limit.optional(),
  botMonth: limit.optional(),
});

/**
 * `2026-06-30` (the start of that day, local time) or an ISO time with its offset
 * (`2026-06-30T18:00:00+08:00`). YAML may hand a date over as a Date already.
 */
const instant = z
  .union([z.string().trim(), z.date()], {
    error: () => "must be a date (2026-06-30) or a time (2026-06-30T18:00:00+08:00)",
  })
  .transform((value, ctx) => {
    if (value instanceof Date) return value.getTime();
    const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    const time = day
      ? new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3])).getTime()
      : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/.test(value)
        ? Date.parse(value)
        : Number.NaN;
    if (Number.isNaN(time)) {
      ctx.issues.push({
        code: "custom",
        input: value,
        message:
          "must be a date (2026-06-30) or a time with its offset (2026-06-30T18:00:00+08:00)",
      });
      return z.NEVER;
    }
    return time;
  });

const settingsShape = {
  perMinute: mapping({
    user: limit.optional(),
    chat: limit.optional(),
    bot: limit.optional(),
  }).optional(),
  questions: budgets.optional(),
  tokens: budgets.optional(),
  cost: budgets.optional(),
  expires: instant.optional(),
  expiredNotice: optionalText(),
  contact: optionalText(),
  concurrency: number(1, 1000, { int: true }).optional(),
};

const settings = mapping(settingsShape);

/** `limits:` under a bot or an app: the settings, with sections per chat and per user. */
export const limitsSchema = mapping({
  ...settingsShape,
  chats: z
    .record(z.string(), settings, {
      error: () => "must be a mapping of chat ids (oc_…) to limits",
    })
    .optional(),
  users: z
    .record(z.string(), settings, {
      error: () => "must be a mapping of user open_ids (ou_…) to limits",
    })
    .optional(),
});

/** `prices:` under an app: per model, per million tokens in and out. */
export const pricesSchema = z.record(
  z.string(),
  mapping({ input: number(0, 1e9), output: number(0, 1e9) }),
  { error: () => "must be a mapping of model names to { input: …, output: … } per million tokens" },
);

type RawLimits = z.infer<typeof limitsSchema>;

/** Drops what zod leaves as `undefined`, so the config holds only what was written. */
export function buildLimits(raw: RawLimits | undefined): Limits | undefined {
  if (!raw) return undefined;
  return JSON.parse(JSON.stringify(raw)) as Limits;
}

export function buildPrices(
  raw: z.infer<typeof pricesSchema> | undefined,
): Record<string, ModelPrice> | undefined {
  return raw ? { ...raw } : undefined;
}
