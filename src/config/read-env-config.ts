import {
  type BotConfig,
  defaultVoiceEngine,
  type GatewayConfig,
  type LogLevel,
  VOICE_ENGINES,
} from "./config.js";
import { ConfigError } from "./config-error.js";
import { type Env, flag, get, integer, oneOf } from "./env-values.js";
import { languageForDomain, resolveLarkDomain } from "./lark-domain.js";
import { readEnvApp } from "./read-env-app.js";
import { readEnvHttps } from "./read-env-https.js";
import { readableFile } from "./readable-file.js";

/** What start-up logs when no bot is configured, so a newcomer knows what to set. */
export const MISSING_BOT_HINT =
  "No bot configured: set APP_ID and APP_SECRET (from the Lark/Feishu developer console) and OPENAI_KEY, then restart. See docs/setup.md.";

/**
 * TEST_ALLOW_LOOPBACK_FETCH lets answers fetch pictures from this machine, which the SSRF guard
 * exists to stop: accepted only where NODE_ENV says this is the test suite.
 */
function allowLoopbackFetch(env: Env): { allowLoopbackFetch?: true } {
  if (!flag(env, "TEST_ALLOW_LOOPBACK_FETCH", false)) return {};
  if (get(env, "NODE_ENV")?.value !== "test") {
    throw new ConfigError(
      "TEST_ALLOW_LOOPBACK_FETCH",
      "is for the test suite only (NODE_ENV=test): it lets anyone who can make the model write a link reach services on this machine. Remove it; to fetch answer pictures from an internal server, list its host in the app's pictureHosts (PICTURE_HOSTS).",
    );
  }
  return { allowLoopbackFetch: true };
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
  const app = readEnvApp(env);
  // BASE_URL is Feishu-OpenAI's name for it.
  const domainSetting = get(env, "LARK_DOMAIN", "BASE_URL");
  const domain = resolveLarkDomain(domainSetting?.value, domainSetting?.name);
  const language = oneOf(env, ["LANGUAGE"], ["zh", "en", "auto"] as const, "auto");
  const welcome = welcomeMessage(env);
  return {
    id: "default",
    appId: appId.value,
    appSecret: appSecret.value,
    encryptKey: get(env, "APP_ENCRYPT_KEY")?.value,
    verificationToken: get(env, "APP_VERIFICATION_TOKEN")?.value,
    name: get(env, "BOT_NAME")?.value,
    domain,
    eventMode: oneOf(env, ["EVENT_MODE"], ["webhook", "websocket"] as const, "webhook"),
    groupTrigger: oneOf(env, ["GROUP_TRIGGER"], ["mention", "all"] as const, "mention"),
    answerMode: answerMode(env),
    footer: flag(env, "ANSWER_FOOTER", true),
    language: language === "auto" ? languageForDomain(domain) : language,
    ...(flag(env, "CONFIRM_CLEAR", true) ? {} : { confirmClear: false }),
    ...(welcome !== undefined ? { welcome } : {}),
    voice: oneOf(env, ["VOICE_TRANSCRIBE"], VOICE_ENGINES, defaultVoiceEngine(app)),
    app,
  };
}

/**
 * WELCOME_MESSAGE: unset leaves the default welcome, set but empty turns it off. Read directly,
 * since `get` treats empty as unset.
 */
function welcomeMessage(env: Env): string | undefined {
  const raw = env.WELCOME_MESSAGE;
  return raw === undefined ? undefined : raw.trim();
}

/** ANSWER_MODE, or Feishu-OpenAI's STREAM_MODE=false meaning "send the answer at once". */
function answerMode(env: Env): "cardkit" | "patch" | "final" {
  if (get(env, "ANSWER_MODE")) {
    return oneOf(env, ["ANSWER_MODE"], ["cardkit", "patch", "final"] as const, "cardkit");
  }
  const legacy = oneOf(env, ["STREAM_MODE"], ["true", "false"] as const, "true");
  return legacy === "false" ? "final" : "cardkit";
}

/** ROLE_LIST_FILE: a role list to use instead of the shipped one; it must be there at start. */
function rolesFile(env: Env): { rolesFile?: string } {
  const found = get(env, "ROLE_LIST_FILE");
  if (!found) return {};
  const problem = readableFile(found.value);
  if (problem) {
    throw new ConfigError(
      "ROLE_LIST_FILE",
      `the role list ${problem}. Point ROLE_LIST_FILE at a readable file in Feishu-OpenAI's role_list.yaml shape (- title:, content:, tags:), or unset it to use the shipped roles.`,
    );
  }
  return { rolesFile: found.value };
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
  const http = {
    host: get(env, "HTTP_HOST")?.value ?? "0.0.0.0",
    port: integer(env, ["HTTP_PORT", "PORT"], 9000, 0, 65535),
  };
  const https = readEnvHttps(env, http.port);
  return {
    http,
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
    jobLeaseMs: integer(env, ["JOB_LEASE_MS"], 4_000, 1000, 3_600_000),
    ...(get(env, "ADMIN_TOKEN") ? { adminToken: get(env, "ADMIN_TOKEN")!.value } : {}),
    ...(get(env, "METRICS_TOKEN") ? { metricsToken: get(env, "METRICS_TOKEN")!.value } : {}),
    ...(flag(env, "METRICS", true) ? {} : { metricsOff: true }),
    ...(get(env, "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy")
      ? { outboundProxy: true }
      : {}),
    ...publicUrl(env),
    ...rolesFile(env),
    ...allowLoopbackFetch(env),
    ...(https ? { https } : {}),
    bots: bot ? [bot] : [],
  };
}
