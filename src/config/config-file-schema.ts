import { z } from "zod";
import { ConfigError } from "./config-error.js";
import { resolveLarkDomain } from "./lark-domain.js";

/**
 * The shape of `larkgate.yaml`, checked in two passes: the top level first, then each app
 * (its schema depends on `backend`) and each bot. Messages are phrased to follow a path, as in
 * `bots.support.appId: is required`.
 */

/** Bot ids become URL segments (`/webhook/<id>/event`). */
export const BOT_ID = /^[a-z0-9][a-z0-9_-]{0,31}$/;
/** App names are only referenced inside the file, so they may be a little freer. */
export const APP_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export const BACKENDS = ["openai", "fastgpt", "dify"] as const;
export type BackendName = (typeof BACKENDS)[number];

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

function mapping<T extends z.ZodRawShape>(shape: T) {
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === "unrecognized_keys") {
        const keys = issue.keys.map((key) => `"${key}"`).join(", ");
        return `unknown key ${keys} (allowed: ${Object.keys(shape).join(", ")})`;
      }
      if (issue.code === "invalid_type") return "must be a mapping (indented `key: value` lines)";
      return undefined;
    },
  });
}

function text(hint = "") {
  return z
    .string({
      error: (issue) =>
        issue.input === undefined || issue.input === null
          ? `is required${hint}`
          : `must be text (put it in quotes)${hint}`,
    })
    .trim()
    .min(1, `must not be empty${hint}`);
}

/** An optional setting left empty (`encryptKey:`, or `${KEY:-}`) counts as not set. */
function optionalText() {
  return z.preprocess(
    (value) => (value === null || (typeof value === "string" && !value.trim()) ? undefined : value),
    text().optional(),
  );
}

/** Numbers may come from `${ENV}` references, which are strings until here. */
function number(min: number, max: number, options: { int?: boolean } = {}) {
  const what = options.int ? "a whole number" : "a number";
  const base = z.number({ error: () => `must be ${what} between ${min} and ${max}` });
  const checked = (options.int ? base.int(`must be ${what}`) : base)
    .min(min, `must be ${what} between ${min} and ${max}`)
    .max(max, `must be ${what} between ${min} and ${max}`);
  return z.preprocess(
    (value) =>
      typeof value === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value,
    checked,
  );
}

function choice<T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: () => `must be one of: ${values.join(", ")}` });
}

const httpUrl = text().refine((value) => {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}, "must be an http(s) URL, e.g. https://api.openai.com/v1");

/** Variables are strings on the wire; numbers and booleans are accepted and stringified. */
const variables = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean()], { error: () => "must be text" }).transform(String),
  { error: () => "must be a mapping of names to values" },
);

/** A single id is accepted where a list is expected: `users: ou_xxx`. */
const stringList = z.preprocess(
  (value) => (typeof value === "string" ? [value] : value),
  z.array(z.string().trim().min(1, "must not be empty"), {
    error: () => "must be a list, e.g. [oc_xxx, oc_yyy]",
  }),
);

/** `apps:`/`bots:` with everything under them commented out are empty, not an error. */
export const topLevelSchema = mapping({
  server: mapping({
    host: optionalText(),
    port: number(0, 65535, { int: true }).optional(),
    publicUrl: httpUrl.optional(),
  }).optional(),
  database: optionalText(),
  logLevel: choice(LOG_LEVELS).optional(),
  workerConcurrency: number(1, 256, { int: true }).optional(),
  staleMessageMinutes: number(0, 7 * 24 * 60, { int: true }).optional(),
  chatLogRetentionDays: number(0, 36_500, { int: true }).optional(),
  apps: z
    .record(z.string(), z.unknown(), {
      error: () =>
        "must be a mapping of app names to their settings (`support:`, settings indented below)",
    })
    .nullish(),
  bots: z
    .record(z.string(), z.unknown(), {
      error: () =>
        "must be a mapping of bot ids to their settings (`support:`, settings indented below)",
    })
    .nullish(),
});

const appCommon = {
  apiKey: text(),
  systemPrompt: z.string({ error: () => "must be text" }).optional(),
  historyTokenBudget: number(0, 10_000_000, { int: true }).optional(),
  timeoutMs: number(1000, 3_600_000, { int: true }).optional(),
  variables: variables.optional(),
  vision: z.boolean({ error: () => "must be true or false" }).optional(),
};

export const appSchemas = {
  openai: mapping({
    backend: z.literal("openai"),
    ...appCommon,
    baseUrl: httpUrl.optional(),
    model: text(" (the model name, e.g. gpt-4o-mini)"),
    temperature: number(0, 2).optional(),
    maxTokens: number(1, 1_000_000, { int: true }).optional(),
  }),
  fastgpt: mapping({
    backend: z.literal("fastgpt"),
    ...appCommon,
    baseUrl: text(" (your FastGPT server root, e.g. https://cloud.fastgpt.cn)").pipe(httpUrl),
  }),
  dify: mapping({
    backend: z.literal("dify"),
    ...appCommon,
    baseUrl: text(" (the Dify API root, e.g. https://api.dify.ai)").pipe(httpUrl),
  }),
} satisfies Record<BackendName, z.ZodType>;

const who = mapping({ chats: stringList.optional(), users: stringList.optional() });

export const botSchema = mapping({
  appId: text(" (App ID from the developer console, cli_…)").regex(
    /^cli_[0-9a-zA-Z]+$/,
    'does not look like an App ID; it starts with "cli_" (e.g. cli_a41fe20b2539d00b)',
  ),
  appSecret: text(" (App Secret from the developer console)"),
  encryptKey: optionalText(),
  verificationToken: optionalText(),
  name: optionalText(),
  domain: optionalText().transform((value, ctx) => {
    try {
      return resolveLarkDomain(value, "domain");
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      ctx.issues.push({
        code: "custom",
        input: value,
        message: error.message.slice(error.variable.length + 2),
      });
      return z.NEVER;
    }
  }),
  eventMode: choice(["webhook", "websocket"] as const).optional(),
  app: text(" (the name of an app under apps:)"),
  groupTrigger: choice(["mention", "all"] as const).optional(),
  answerMode: choice(["cardkit", "patch", "final"] as const).optional(),
  footer: z.boolean({ error: () => "must be true or false" }).optional(),
  allow: who.optional(),
  deny: who.optional(),
  chats: z
    .record(z.string(), mapping({ app: text().optional(), systemPrompt: z.string().optional() }), {
      error: () => "must be a mapping of chat ids (oc_…) to overrides",
    })
    .optional(),
});

export type TopLevel = z.infer<typeof topLevelSchema>;
export type RawBot = z.infer<typeof botSchema>;
export type RawApp = z.infer<(typeof appSchemas)[BackendName]>;
