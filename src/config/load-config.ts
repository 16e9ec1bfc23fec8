import type { GatewayConfig } from "./config.js";
import { ConfigError } from "./config-error.js";
import {
  configFilePath,
  configSources,
  type LoadConfigOptions,
  readEnvNamingFile,
} from "./config-sources.js";
import type { Env } from "./env-values.js";
import { readConfigFile, readConfigFileDatabase } from "./read-config-file.js";

export { configFilePath, type LoadConfigOptions };

const DEFAULT_DATABASE_URL = "sqlite:./data/larkgate.db";

function isSet(env: Env, ...names: string[]): boolean {
  return names.some((name) => Boolean(env[name]?.trim()));
}

/**
 * The gateway's configuration. Without a config file it comes from the environment alone
 * (APP_ID, OPENAI_KEY… as in Feishu-OpenAI/czlchat). With one, the file defines the apps and
 * bots; the environment still has the last word on where to listen and store, so one file can
 * serve several deployments:
 *
 * - HTTP_HOST, HTTP_PORT/PORT, PUBLIC_URL, DATABASE_URL, LOG_LEVEL, WORKER_CONCURRENCY,
 *   STALE_MESSAGE_MINUTES and CHAT_LOG_RETENTION_DAYS, when set, override `server.host`,
 *   `server.port`, `server.publicUrl`, `database`, `logLevel`, `workerConcurrency`,
 *   `staleMessageMinutes` and `chatLogRetentionDays`;
 * - JOB_LEASE_MS and ADMIN_TOKEN come from the environment only;
 * - APP_ID/APP_SECRET (with OPENAI_KEY…), when set, add the environment's bot as `default`;
 * - ROLE_LIST_FILE overrides `roles`; USE_HTTPS… come from the environment only.
 *
 * Without a larkgate.yaml, a Feishu-OpenAI `config.yaml` in the working directory fills in the
 * variables the environment does not set (see configSources).
 *
 * @example
 *   const config = loadConfig({ configPath: "larkgate.yaml" }); // env: process.env
 */
export function loadConfig(options: LoadConfigOptions = {}): GatewayConfig {
  const { env, path, legacy } = configSources(options);
  const fromEnv = readEnvNamingFile(env, legacy);
  if (!path) return fromEnv;

  const file = readConfigFile(path, env);
  const envBot = fromEnv.bots[0];
  if (envBot) {
    const clash = file.bots.find((bot) => bot.id === envBot.id || bot.appId === envBot.appId);
    if (clash) {
      const what = clash.id === envBot.id ? `bots.${clash.id}` : `bots.${clash.id}.appId`;
      throw new ConfigError(
        path,
        `${what}: APP_ID=${envBot.appId} in the environment already defines the bot "default" (${clash.id === envBot.id ? "same id" : "same app"}). Remove APP_ID and APP_SECRET from the environment, or ${clash.id === envBot.id ? "rename this bot" : "give this bot another app"}`,
      );
    }
  }
  const publicUrl = fromEnv.publicUrl ?? file.server.publicUrl?.replace(/\/+$/, "");
  const bots = envBot ? [envBot, ...file.bots] : file.bots;
  requirePublicUrlForLinkedPictures(path, bots, publicUrl);
  return {
    http: {
      host: isSet(env, "HTTP_HOST") ? fromEnv.http.host : (file.server.host ?? fromEnv.http.host),
      port: isSet(env, "HTTP_PORT", "PORT")
        ? fromEnv.http.port
        : (file.server.port ?? fromEnv.http.port),
    },
    databaseUrl: isSet(env, "DATABASE_URL")
      ? fromEnv.databaseUrl
      : (file.database ?? fromEnv.databaseUrl),
    logLevel: isSet(env, "LOG_LEVEL") ? fromEnv.logLevel : (file.logLevel ?? fromEnv.logLevel),
    workerConcurrency: isSet(env, "WORKER_CONCURRENCY")
      ? fromEnv.workerConcurrency
      : (file.workerConcurrency ?? fromEnv.workerConcurrency),
    staleMessageMinutes: isSet(env, "STALE_MESSAGE_MINUTES")
      ? fromEnv.staleMessageMinutes
      : (file.staleMessageMinutes ?? fromEnv.staleMessageMinutes),
    chatLogRetentionDays: isSet(env, "CHAT_LOG_RETENTION_DAYS")
      ? fromEnv.chatLogRetentionDays
      : (file.chatLogRetentionDays ?? fromEnv.chatLogRetentionDays),
    // Only from the environment (JOB_LEASE_MS): it tunes takeover between replicas, which a
    // deployment sets, not a bot file.
    ...(fromEnv.jobLeaseMs !== undefined ? { jobLeaseMs: fromEnv.jobLeaseMs } : {}),
    // Only from the environment: `larkgate reload` reads the same variable to authenticate.
    ...(fromEnv.adminToken ? { adminToken: fromEnv.adminToken } : {}),
    ...(fromEnv.metricsToken ? { metricsToken: fromEnv.metricsToken } : {}),
    ...(fromEnv.metricsOff ? { metricsOff: true } : {}),
    ...(fromEnv.outboundProxy ? { outboundProxy: true } : {}),
    ...(publicUrl ? { publicUrl } : {}),
    ...(fromEnv.rolesFile || file.rolesFile
      ? { rolesFile: fromEnv.rolesFile ?? file.rolesFile }
      : {}),
    // Only from the environment (USE_HTTPS…), Feishu-OpenAI's variables.
    ...(fromEnv.https ? { https: fromEnv.https } : {}),
    // Only from the environment, and only under NODE_ENV=test (read-env-config.ts).
    ...(fromEnv.allowLoopbackFetch ? { allowLoopbackFetch: true } : {}),
    bots,
  };
}

/** FastGPT and Dify fetch pictures from larkgate, so a vision app of theirs needs its address. */
function requirePublicUrlForLinkedPictures(
  path: string,
  bots: GatewayConfig["bots"],
  publicUrl: string | undefined,
): void {
  if (publicUrl) return;
  for (const bot of bots) {
    const apps = [bot.app, ...Object.values(bot.chatOverrides ?? {}).map((o) => o.app)];
    const linked = apps.find(
      (app) => app?.vision && (app.backend === "fastgpt" || app.backend === "dify"),
    );
    if (linked) {
      throw new ConfigError(
        path,
        `apps.${linked.id}.vision: ${linked.backend === "fastgpt" ? "FastGPT" : "Dify"} fetches pictures from larkgate, so set server.publicUrl (or PUBLIC_URL) to the address it reaches larkgate at, e.g. https://bot.example.com`,
      );
    }
  }
}

/**
 * Just the database URL, by the same rules as loadConfig, without validating bots and apps: so
 * `larkgate logs` and `larkgate migrate` work where the bots' secrets are not set.
 */
export function loadDatabaseUrl(options: LoadConfigOptions = {}): string {
  const { env, path } = configSources(options);
  const fromEnv = env.DATABASE_URL?.trim();
  if (fromEnv) return fromEnv;
  return (path ? readConfigFileDatabase(path, env) : undefined) ?? DEFAULT_DATABASE_URL;
}
