import { z } from "zod";
import { VOICE_ENGINES } from "./config.js";
import { ConfigError } from "./config-error.js";
import {
  boolean,
  choice,
  httpUrl,
  keyList,
  mapping,
  nameList,
  number,
  optionalText,
  stringList,
  text,
  variables,
} from "./config-file-fields.js";
import { limitsSchema, pricesSchema } from "./config-file-limits.js";
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

export const BACKENDS = ["openai", "azure", "fastgpt", "dify"] as const;
export type BackendName = (typeof BACKENDS)[number];

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

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
  /** A role list in Feishu-OpenAI's role_list.yaml shape, relative to this file's folder. */
  roles: optionalText(),
});

const appCommon = {
  apiKey: text(),
  systemPrompt: z.string({ error: () => "must be text" }).optional(),
  historyTokenBudget: number(0, 10_000_000, { int: true }).optional(),
  timeoutMs: number(1000, 3_600_000, { int: true }).optional(),
  variables: variables.optional(),
  /** IANA time zone for `{{date}}`, `{{time}}` and `{{datetime}}` (default UTC). */
  timeZone: z
    .string({ error: () => "must be an IANA time zone name such as Asia/Shanghai" })
    .refine(isTimeZone, {
      error: () => "is not a time zone this Node.js knows: use an IANA name such as Asia/Shanghai",
    })
    .optional(),
  vision: boolean.optional(),
  /** Files users send are refused above this many MB (Lark serves up to 100). */
  fileMaxMb: number(1, 100).optional(),
  fileTokenBudget: number(0, 10_000_000, { int: true }).optional(),
  /** Budgets and limits for every bot that uses this app (the bot's own go over them). */
  limits: limitsSchema.optional(),
  /** Per model, per million tokens in and out: what `cost` budgets count. */
  prices: pricesSchema.optional(),
  /** Internal hosts that pictures and files in answers may be fetched from. */
  pictureHosts: z
    .array(
      z.string().regex(/^[A-Za-z0-9.:[\]-]+$/, {
        error: () =>
          "must be a host name or address (charts.corp.local, 10.0.0.5), no scheme or path",
      }),
      { error: () => "must be a list of host names, e.g. [charts.corp.local]" },
    )
    .optional(),
};

/** What OpenAI and Azure apps take per request. */
const chatCompletions = {
  temperature: number(0, 2).optional(),
  maxTokens: number(1, 1_000_000, { int: true }).optional(),
  /** `/picture`'s images model (on Azure: deployment); `off` turns pictures off. */
  imageModel: text(" (an images model, e.g. dall-e-3 or gpt-image-1, or off)").optional(),
  /** The speech-to-text model for voice messages (on Azure: the whisper deployment). */
  transcribeModel: text(" (a speech-to-text model, e.g. whisper-1)").optional(),
  /** File types the model reads itself, sent whole (`[pdf]`). */
  nativeFiles: z
    .array(
      z.string().regex(/^\.?[A-Za-z0-9]+$/, {
        error: () => "must be a file extension such as pdf",
      }),
      { error: () => "must be a list of file extensions, e.g. [pdf]" },
    )
    .optional(),
};

export const appSchemas = {
  openai: mapping({
    backend: z.literal("openai"),
    ...appCommon,
    apiKey: keyList,
    baseUrl: httpUrl.optional(),
    model: text(" (the model name, e.g. gpt-4o-mini)"),
    ...chatCompletions,
    /** What `/model` may switch a conversation to. */
    models: nameList.optional(),
  }),
  azure: mapping({
    backend: z.literal("azure"),
    ...appCommon,
    apiKey: keyList,
    /** Either the endpoint, or the resource name it is made of. */
    endpoint: httpUrl.optional(),
    resourceName: text()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9-]*$/,
        'is the {name} in https://{name}.openai.azure.com (letters, digits and "-")',
      )
      .optional(),
    deployment: text(" (the deployment's name, …/openai/deployments/{name}/…)"),
    apiVersion: text()
      .regex(/^\d{4}-\d{2}-\d{2}(-preview)?$/, "must look like 2024-10-21 or 2025-01-01-preview")
      .optional(),
    ...chatCompletions,
    /** Deployments `/model` may switch a conversation to. */
    models: nameList.optional(),
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
  footer: boolean.optional(),
  language: choice(["zh", "en", "auto"] as const).optional(),
  /** Checked command by command in config-file-commands.ts, for messages with their path. */
  commands: z
    .record(z.string(), z.unknown(), {
      error: () => "must be a mapping of command names to false, a word or a list of words",
    })
    .nullish(),
  confirmClear: boolean.optional(),
  /** Who transcribes voice messages; default: `openai` for OpenAI and Azure apps, else `off`. */
  voice: choice(VOICE_ENGINES).optional(),
  /** Days this bot's chat log is kept, over the gateway's `chatLogRetentionDays`; 0: forever. */
  chatLogRetentionDays: number(0, 36_500, { int: true }).optional(),
  /** `false` or "" turns the welcome off. */
  welcome: z
    .union([z.string().trim(), z.literal(false)], {
      error: () => 'must be text, or false (or "") for no welcome',
    })
    .nullish(),
  allow: who.optional(),
  deny: who.optional(),
  /** Budgets and limits (config-file-limits.ts). */
  limits: limitsSchema.optional(),
  chats: z
    .record(z.string(), mapping({ app: text().optional(), systemPrompt: z.string().optional() }), {
      error: () => "must be a mapping of chat ids (oc_…) to overrides",
    })
    .optional(),
});

export type TopLevel = z.infer<typeof topLevelSchema>;
export type RawBot = z.infer<typeof botSchema>;
export type RawApp = z.infer<(typeof appSchemas)[BackendName]>;

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
