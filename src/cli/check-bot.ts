import pino from "pino";
import type { BotConfig } from "../config/config.js";
import { languageForDomain } from "../config/lark-domain.js";
import { type TextKey, translator } from "../i18n/translate.js";
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

/** `GET /open-apis/bot/v3/info` activate_status (docs/lark-notes.md#bot-info), 2 = enabled. */
const ACTIVATE_STATUS: Record<number, TextKey> = {
  0: "doctor.activation.0",
  1: "doctor.activation.1",
  3: "doctor.activation.3",
  4: "doctor.activation.4",
  5: "doctor.activation.5",
  6: "doctor.activation.6",
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
  const language = bot.language ?? languageForDomain(bot.domain);
  const say = translator(language);
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
      report.warn(`activation: ${say(ACTIVATE_STATUS[4]!)} (activate_status 4)`);
    } else {
      const why = say(ACTIVATE_STATUS[info.activateStatus] ?? "doctor.activation.other");
      report.fail(`activation: ${why} (activate_status ${info.activateStatus})`);
    }
  } catch (error) {
    report.fail(`credentials: ${explainLarkFailure(error, bot, source, say)}`);
  }
  // Only with a token can Lark say which permissions are missing.
  if (credentialsOk) {
    await withTimeout(
      checkScopes(bot, api, report, language),
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
    report.warn(say("doctor.no_encrypt_key", { source: source.encryptKey }));
  }
}

function explainLarkFailure(
  error: unknown,
  bot: BotConfig,
  source: BotSource,
  say: ReturnType<typeof translator>,
): string {
  if (!(error instanceof LarkApiError)) {
    return error instanceof Error ? error.message : String(error);
  }
  if (error.code === 10014 || error.code === 10015) {
    return say("doctor.secret_wrong", {
      source: source.appSecret,
      appId: bot.appId,
      code: error.code,
    });
  }
  if (error.code === 10003) {
    return say("doctor.app_unknown", {
      domain: bot.domain,
      appId: bot.appId,
      sourceAppId: source.appId,
      sourceDomain: source.domain,
    });
  }
  if (error.kind === "network") {
    return say("doctor.unreachable", {
      domain: bot.domain,
      reason: error.message,
      sourceDomain: source.domain,
    });
  }
  return error.message;
}
