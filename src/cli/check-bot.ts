import pino from "pino";
import type { BotConfig } from "../config/config.js";
import { languageForDomain } from "../config/lark-domain.js";
import { createLarkApi } from "../lark/outbound/lark-api.js";
import { LarkApiError } from "../lark/outbound/lark-api-error.js";
import { type CheckReport, withTimeout } from "./check-report.js";
import { checkScopes } from "./check-scopes.js";

/** Where a bot's settings are written, so messages can say exactly what to change. */
export interface BotSource {
  /** e.g. `APP_SECRET`, or `bots.support.appSecret in larkgate.yaml`. */
  appSecret: string;
  appId: string;
  domain: string;
  encryptKey: string;
}

/** `GET /open-apis/bot/v3/info` activate_status (docs/lark-notes.md#bot-info). */
const ACTIVATE_STATUS: Record<number, string> = {
  0: "not activated yet: publish a version of the app (developer console → Version Management & Release)",
  1: "disabled by the tenant admin: ask an admin to enable the app in the admin console",
  3: "installed, waiting for an admin to approve it: ask an admin to approve the app",
  4: "an upgrade is waiting for admin approval (the current version keeps working)",
  5: "the app's license has expired",
  6: "the tenant's plan has expired",
};

const LARK_TIMEOUT_MS = 20_000;

/** The Request URLs to paste into the developer console for a webhook bot. */
export function requestUrls(botId: string, publicUrl: string | undefined) {
  const base = `${publicUrl ?? ""}${botId === "default" ? "/webhook" : `/webhook/${botId}`}`;
  return { event: `${base}/event`, card: `${base}/card` };
}

/**
 * Checks one bot against the Lark Open Platform: its credentials (a tenant token and bot info),
 * its activation, and prints the Request URLs to paste into the console.
 */
export async function checkBot(
  bot: BotConfig,
  source: BotSource,
  publicUrl: string | undefined,
  report: CheckReport,
  network: { outboundProxy?: boolean } = {},
): Promise<void> {
  report.heading(`bot ${bot.id} (${bot.appId}, ${bot.eventMode}, ${bot.domain})`);
  const api = createLarkApi({
    appId: bot.appId,
    appSecret: bot.appSecret,
    domain: bot.domain,
    logger: pino({ level: "silent" }),
    // A doctor reports what it sees; retrying would only delay the answer.
    maxAttempts: 1,
    outboundProxy: network.outboundProxy,
  });
  let credentialsOk = false;
  try {
    const info = await withTimeout(api.botInfo(), LARK_TIMEOUT_MS, `Lark at ${bot.domain}`);
    credentialsOk = true;
    report.pass(
      `credentials: tenant token and bot info fetched (app "${info.appName}", bot open_id ${info.openId})`,
    );
    if (info.activateStatus === 2) report.pass("activation: enabled (activate_status 2)");
    else if (info.activateStatus === 4) {
      report.warn(`activation: ${ACTIVATE_STATUS[4]} (activate_status 4)`);
    } else {
      const why = ACTIVATE_STATUS[info.activateStatus] ?? "unknown status";
      report.fail(`activation: ${why} (activate_status ${info.activateStatus})`);
    }
  } catch (error) {
    report.fail(`credentials: ${explainLarkFailure(error, bot, source)}`);
  }
  // Only with a token can Lark say which permissions are missing.
  if (credentialsOk) {
    await withTimeout(
      checkScopes(bot, api, report, bot.language ?? languageForDomain(bot.domain)),
      LARK_TIMEOUT_MS,
      `Lark at ${bot.domain}`,
    ).catch((error: unknown) =>
      report.warn(`permissions: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  if (bot.eventMode === "websocket") {
    report.pass(
      'events: websocket mode, no Request URL needed (choose "Receive events through persistent connection" in the console)',
    );
    return;
  }
  const urls = requestUrls(bot.id, publicUrl);
  report.info(`Request URL (Events & Callbacks → Event Configuration): ${urls.event}`);
  report.info(`Card callback URL (Events & Callbacks → Callback Configuration): ${urls.card}`);
  if (!publicUrl) {
    report.info(
      "(relative: prefix them with the public https address of this gateway, or pass --public-url)",
    );
  }
  if (!bot.encryptKey) {
    report.warn(
      `no encrypt key: Lark's requests to this bot are not signed. Set an Encrypt Key in the console (Events & Callbacks → Encryption Strategy) and as ${source.encryptKey}`,
    );
  }
}

function explainLarkFailure(error: unknown, bot: BotConfig, source: BotSource): string {
  if (!(error instanceof LarkApiError)) {
    return error instanceof Error ? error.message : String(error);
  }
  if (error.code === 10014 || error.code === 10015) {
    return `${source.appSecret} is wrong for ${bot.appId} (Lark answered ${error.code}). Copy App Secret again from the developer console (Credentials & Basic Info)`;
  }
  if (error.code === 10003) {
    return `Lark at ${bot.domain} does not know ${bot.appId} (Lark answered 10003). Check ${source.appId}, and ${source.domain}: feishu (open.feishu.cn) or lark (open.larksuite.com)`;
  }
  if (error.kind === "network") {
    return `cannot reach Lark at ${bot.domain} (${error.message}). Check ${source.domain} and the network/proxy`;
  }
  return error.message;
}
