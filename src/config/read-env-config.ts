import { z } from "zod";
import type { BotConfig, GatewayConfig, LogLevel } from "./config.js";
import { ConfigError } from "./config-error.js";
import { resolveLarkDomain } from "./lark-domain.js";

type Env = Record<string, string | undefined>;

/** What start-up logs when no bot is configured, so a newcomer knows what to set. */
export const MISSING_BOT_HINT =
  "No bot configured: set APP_ID and APP_SECRET (from the Lark/Feishu developer console) and OPENAI_KEY, then restart. See docs/setup.md.";

function get(env: Env, ...names: string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return { name, value };
  }
  return undefined;
}

function integer(env: Env, names: string[], fallback: number, min: number, max: number): number {
  const found = get(env, ...names);
  if (!found) return fallback;
  const parsed = z.coerce.number().int().min(min).max(max).safeParse(found.value);
  if (!parsed.success) {
    throw new ConfigError(
      found.name,
      `"${found.value}" is not a whole number between ${min} and ${max}`,
    );
  }
  return parsed.data;
}

function decimal(env: Env, name: string, min: number, max: number): number | undefined {
  const found = get(env, name);
  if (!found) return undefined;
  const parsed = z.coerce.number().min(min).max(max).safeParse(found.value);
  if (!parsed.success) {
    throw new ConfigError(name, `"${found.value}" is not a number between ${min} and ${max}`);
  }
  return parsed.data;
}

function oneOf<T extends string>(env: Env, names: string[], allowed: readonly T[], fallback: T): T {
  const found = get(env, ...names);
  if (!found) return fallback;
  const value = found.value.toLowerCase() as T;
  if (!allowed.includes(value)) {
    throw new ConfigError(found.name, `"${found.value}" must be one of: ${allowed.join(", ")}`);
  }
  return value;
}

/**
 * Feishu-OpenAI's `API_URL` is the server root (`https://api.openai.com`); the OpenAI SDK wants
 * the `/v1` base. Accept both, so czlchat users can keep their variables.
 */
function llmBaseUrl(env: Env): string {
  const explicit = get(env, "OPENAI_BASE_URL");
  const legacy = get(env, "API_URL");
  const found = explicit ?? legacy;
  if (!found) return "https://api.openai.com/v1";
  let url: URL;
  try {
    url = new URL(found.value);
  } catch {
    throw new ConfigError(
      found.name,
      `"${found.value}" is not a URL. Example: https://api.openai.com/v1`,
    );
  }
  let base = url.toString().replace(/\/+$/, "");
  if (found.name === "API_URL" && !/\/v\d+$/.test(url.pathname.replace(/\/+$/, ""))) {
    base = `${base}/v1`;
  }
  return base;
}

/** PUBLIC_URL: the gateway's address as FastGPT and Dify reach it, without a trailing slash. */
function publicUrl(env: Env): { publicUrl?: string } {
  const found = get(env, "PUBLIC_URL");
  if (!found) return {};
  let url: URL;
  try {
    url = new URL(found.value);
  } catch {
    url = new URL("invalid:");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError(
      "PUBLIC_URL",
      `"${found.value}" is not an http(s) URL. Example: https://bot.example.com`,
    );
  }
  return { publicUrl: url.toString().replace(/\/+$/, "") };
}

function defaultBot(env: Env): BotConfig | undefined {
  const appId = get(env, "APP_ID");
  const appSecret = get(env, "APP_SECRET");
  if (!appId && !appSecret) return undefined;
  if (!appId) {
    throw new ConfigError(
      "APP_ID",
      "APP_SECRET is set but APP_ID is not. Copy both from the developer console (Credentials & Basic Info).",
    );
  }
  if (!appSecret) {
    throw new ConfigError(
      "APP_SECRET",
      `APP_ID is set (${appId.value}) but its secret is not. Copy App Secret from the developer console (Credentials & Basic Info).`,
    );
  }
  if (!/^cli_[0-9a-zA-Z]+$/.test(appId.value)) {
    throw new ConfigError(
      "APP_ID",
      `"${appId.value}" does not look like an App ID; it starts with "cli_" (e.g. cli_a41fe20b2539d00b).`,
    );
  }
  // Feishu-OpenAI accepted several comma-separated keys; we use the first and say so in the docs.
  const apiKey = get(env, "OPENAI_KEY", "OPENAI_API_KEY")?.value.split(",")[0]?.trim();
  if (!apiKey) {
    throw new ConfigError(
      "OPENAI_KEY",
      "the bot has no LLM key. Set OPENAI_KEY to the API key of your OpenAI-compatible endpoint (and OPENAI_BASE_URL if it is not api.openai.com).",
    );
  }
  const systemPrompt = get(env, "SYSTEM_PROMPT")?.value;
  const temperature = decimal(env, "OPENAI_TEMPERATURE", 0, 2);
  const maxTokens = get(env, "OPENAI_MAX_TOKENS")
    ? integer(env, ["OPENAI_MAX_TOKENS"], 0, 1, 1_000_000)
    : undefined;
  const vision =
    oneOf(env, ["OPENAI_VISION"], ["on", "off", "true", "false"] as const, "off") in ON;
  return {
    id: "default",
    appId: appId.value,
    appSecret: appSecret.value,
    encryptKey: get(env, "APP_ENCRYPT_KEY")?.value,
    verificationToken: get(env, "APP_VERIFICATION_TOKEN")?.value,
    name: get(env, "BOT_NAME")?.value,
    domain: resolveLarkDomain(get(env, "LARK_DOMAIN")?.value),
    eventMode: oneOf(env, ["EVENT_MODE"], ["webhook", "websocket"] as const, "webhook"),
    groupTrigger: oneOf(env, ["GROUP_TRIGGER"], ["mention", "all"] as const, "mention"),
    answerMode: answerMode(env),
    footer: oneOf(env, ["ANSWER_FOOTER"], ["on", "off", "true", "false"] as const, "on") in ON,
    app: {
      id: "default",
      backend: "openai",
      baseUrl: llmBaseUrl(env),
      apiKey,
      model: get(env, "OPENAI_MODEL")?.value ?? "gpt-4o-mini",
      ...(systemPrompt ? { systemPrompt } : {}),
      ...(temperature !== undefined ? { temperature } : {}),
      ...(maxTokens !== undefined ? { maxTokens } : {}),
      ...(vision ? { vision } : {}),
      historyTokenBudget: integer(env, ["HISTORY_TOKEN_BUDGET"], 4000, 0, 10_000_000),
      timeoutMs: integer(env, ["LLM_TIMEOUT_MS"], 120_000, 1000, 3_600_000),
    },
  };
}

const ON = { on: true, true: true } as const;

/** ANSWER_MODE, or Feishu-OpenAI's STREAM_MODE=false meaning "send the answer at once". */
function answerMode(env: Env): "cardkit" | "patch" | "final" {
  if (get(env, "ANSWER_MODE")) {
    return oneOf(env, ["ANSWER_MODE"], ["cardkit", "patch", "final"] as const, "cardkit");
  }
  const legacy = oneOf(env, ["STREAM_MODE"], ["true", "false"] as const, "true");
  return legacy === "false" ? "final" : "cardkit";
}

/**
 * Reads the whole configuration from the environment (after `.env`, if any, was loaded).
 * Throws ConfigError naming the variable for anything present but malformed or incomplete.
 */
export function readEnvConfig(env: Env = process.env): GatewayConfig {
  const databaseUrl = get(env, "DATABASE_URL")?.value ?? "sqlite:./data/larkgate.db";
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(databaseUrl)) {
    throw new ConfigError(
      "DATABASE_URL",
      `"${databaseUrl.replace(/\/\/[^@]*@/, "//***@")}" is not supported. Use sqlite:<path> (default sqlite:./data/larkgate.db) or postgres://user:password@host:5432/db`,
    );
  }
  const bot = defaultBot(env);
  return {
    http: {
      host: get(env, "HTTP_HOST")?.value ?? "0.0.0.0",
      port: integer(env, ["HTTP_PORT", "PORT"], 9000, 0, 65535),
    },
    databaseUrl,
    logLevel: oneOf<LogLevel>(
      env,
      ["LOG_LEVEL"],
      ["fatal", "error", "warn", "info", "debug", "trace", "silent"],
      "info",
    ),
    workerConcurrency: integer(env, ["WORKER_CONCURRENCY"], 8, 1, 256),
    staleMessageMinutes: integer(env, ["STALE_MESSAGE_MINUTES"], 30, 0, 7 * 24 * 60),
    chatLogRetentionDays: integer(env, ["CHAT_LOG_RETENTION_DAYS"], 0, 0, 36_500),
    jobLeaseMs: integer(env, ["JOB_LEASE_MS"], 60_000, 1000, 3_600_000),
    ...(get(env, "ADMIN_TOKEN") ? { adminToken: get(env, "ADMIN_TOKEN")!.value } : {}),
    ...(get(env, "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy")
      ? { outboundProxy: true }
      : {}),
    ...publicUrl(env),
    bots: bot ? [bot] : [],
  };
}
