import { parseArgs } from "node:util";
import type { AppConfig, BotConfig, GatewayConfig } from "../config/config.js";
import { configFilePath, loadConfig } from "../config/load-config.js";
import { MISSING_BOT_HINT } from "../config/read-env-config.js";
import { type AppSource, checkApp } from "./check-app.js";
import { type BotSource, checkBot } from "./check-bot.js";
import { checkGateway } from "./check-gateway.js";
import { createCheckReport } from "./check-report.js";
import { type CliIo, type Command, EXIT_FAILED, EXIT_OK, usageError } from "./command.js";

const HELP = `Usage: larkgate check [--config FILE] [--public-url URL] [--gateway URL]

A doctor for the configuration, to run before the first start and after every change:
  - the configuration is valid (the config file, or the environment without one);
  - each bot's App ID and App Secret work (a tenant token and the bot info from Lark), and
    the app is enabled;
  - the Request URLs to paste into the developer console, per bot;
  - each permission the bot's settings rely on is granted (or what to add in the console);
  - each LLM app answers a one-word question;
  - with --gateway, what the running gateway saw: pushes accepted or refused (and which key
    differs), long connections up.
Prints one ✓ or ✗ line per check. Exit code 1 when any check fails.

Options:
  -c, --config FILE   larkgate.yaml to check (default: $CONFIG_FILE, else ./larkgate.yaml,
                      else the environment)
  -u, --public-url URL
                      the public https address Lark reaches this gateway at, e.g.
                      https://bot.example.com, to print complete Request URLs
  -g, --gateway URL   a running gateway to ask (with its ADMIN_TOKEN) what reached it
  -h, --help          show this help`;

function publicUrlOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`--public-url "${value}" is not a URL; example: https://bot.example.com`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new Error(`--public-url must be an http(s) URL, e.g. https://bot.example.com`);
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}

/** Every distinct app, with the bots that use it (directly or for one chat). */
function appsInUse(bots: BotConfig[]): Map<AppConfig, string[]> {
  const apps = new Map<AppConfig, string[]>();
  const use = (app: AppConfig, botId: string) => {
    const users = apps.get(app) ?? [];
    if (!users.includes(botId)) users.push(botId);
    apps.set(app, users);
  };
  for (const bot of bots) {
    use(bot.app, bot.id);
    for (const override of Object.values(bot.chatOverrides ?? {})) {
      if (override.app) use(override.app, bot.id);
    }
  }
  return apps;
}

async function check(
  configPath: string | undefined,
  publicUrl: string | undefined,
  io: CliIo,
  gatewayUrl?: string,
) {
  const report = createCheckReport(io);
  const file = configFilePath({ configPath, env: io.env });
  report.heading(
    `config (${file ?? "environment only: no --config, no CONFIG_FILE, no ./larkgate.yaml"})`,
  );
  let config: GatewayConfig;
  try {
    config = loadConfig({ configPath, env: io.env });
  } catch (error) {
    report.fail(error instanceof Error ? error.message : String(error));
    return report;
  }
  const ids = config.bots.map((bot) => bot.id);
  report.pass(`valid: ${ids.length} bot(s)${ids.length > 0 ? ` (${ids.join(", ")})` : ""}`);
  if (config.bots.length === 0) {
    report.fail(
      file
        ? `no bot configured: define one under bots: in ${file} (see larkgate.example.yaml)`
        : MISSING_BOT_HINT,
    );
  }

  const envBot = io.env.APP_ID?.trim() ? config.bots.find((b) => b.id === "default") : undefined;
  const botSource = (bot: BotConfig): BotSource =>
    bot === envBot || !file
      ? {
          appSecret: "APP_SECRET",
          appId: "APP_ID",
          domain: "LARK_DOMAIN",
          encryptKey: "APP_ENCRYPT_KEY",
        }
      : {
          appSecret: `bots.${bot.id}.appSecret in ${file}`,
          appId: `bots.${bot.id}.appId in ${file}`,
          domain: `bots.${bot.id}.domain in ${file}`,
          encryptKey: `bots.${bot.id}.encryptKey in ${file}`,
        };
  const appSource = (app: AppConfig): AppSource =>
    app === envBot?.app || !file
      ? app.backend === "azure"
        ? { apiKey: "AZURE_OPENAI_TOKEN", baseUrl: "AZURE_ENDPOINT (or AZURE_RESOURCE_NAME)" }
        : { apiKey: "OPENAI_KEY", baseUrl: "OPENAI_BASE_URL" }
      : {
          apiKey: `apps.${app.id}.apiKey in ${file}`,
          baseUrl: `apps.${app.id}.baseUrl in ${file}`,
        };

  for (const bot of config.bots) await checkBot(bot, botSource(bot), publicUrl, report, config);
  for (const [app, usedBy] of appsInUse(config.bots)) {
    await checkApp(app, usedBy, appSource(app), report, config);
  }
  if (gatewayUrl) await checkGateway(gatewayUrl, io.env.ADMIN_TOKEN, config.bots, report);
  return report;
}

export const checkCommand: Command = {
  name: "check",
  help: HELP,
  async run(args, io) {
    let configPath: string | undefined;
    let publicUrl: string | undefined;
    let gatewayUrl: string | undefined;
    try {
      const { values } = parseArgs({
        args,
        options: {
          config: { type: "string", short: "c" },
          "public-url": { type: "string", short: "u" },
          gateway: { type: "string", short: "g" },
        },
      });
      configPath = values.config;
      gatewayUrl = values.gateway;
      publicUrl = publicUrlOf(values["public-url"]);
    } catch (error) {
      return usageError(io, "check", error);
    }
    const report = await check(configPath, publicUrl, io, gatewayUrl);
    io.out("");
    if (report.failures > 0) {
      io.out(`✗ ${report.failures} check(s) failed, ${report.passes} passed.`);
      return EXIT_FAILED;
    }
    io.out(`✓ all ${report.passes} checks passed.`);
    return EXIT_OK;
  },
};
