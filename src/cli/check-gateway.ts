import type { BotConfig } from "../config/config.js";
import { languageForDomain } from "../config/lark-domain.js";
import { type TextKey, translator } from "../i18n/translate.js";
import type { CheckReport } from "./check-report.js";

interface BotStatus {
  eventMode?: string;
  acked?: number;
  rejected?: number;
  lastAckedAt?: number;
  lastRejected?: { code: string; at: number; route: string };
  longConnection?: { state: string; lastError?: string };
}

/** What each refusal code says is different between the console and this gateway. */
const REJECTION_ADVICE: Record<string, TextKey> = {
  bad_signature: "doctor.rejected.bad_signature",
  undecryptable: "doctor.rejected.undecryptable",
  bad_token: "doctor.rejected.bad_token",
  missing_signature: "doctor.rejected.missing_signature",
  encrypted_but_no_key: "doctor.rejected.encrypted_but_no_key",
  stale: "doctor.rejected.stale",
};

/**
 * The running gateway's side of the doctor (`larkgate check --gateway URL`): per bot, whether
 * Lark's pushes reach its Request URL since the gateway started and were accepted, or, for the
 * long connection, whether it is up. Needs the gateway's ADMIN_TOKEN.
 */
export async function checkGateway(
  url: string,
  token: string | undefined,
  bots: BotConfig[],
  report: CheckReport,
): Promise<void> {
  report.heading(`gateway ${url}`);
  if (!token) {
    report.fail("set ADMIN_TOKEN (the gateway's own) to read its status");
    return;
  }
  let status: { startedAt?: number; bots?: Record<string, BotStatus> };
  try {
    const response = await fetch(`${url.replace(/\/+$/, "")}/admin/status`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(10_000),
    });
    if (response.status === 404) {
      report.fail(
        "the gateway has no ADMIN_TOKEN set, so it shows no status: set one and restart it",
      );
      return;
    }
    if (response.status === 401) {
      report.fail("the gateway refused ADMIN_TOKEN: use the value the gateway runs with");
      return;
    }
    status = (await response.json()) as typeof status;
  } catch (error) {
    report.fail(`cannot reach ${url}: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  const minutes = Math.round((Date.now() - (status.startedAt ?? Date.now())) / 60_000);
  for (const bot of bots) {
    const say = translator(bot.language ?? languageForDomain(bot.domain));
    const seen = status.bots?.[bot.id];
    if (!seen) {
      report.warn(say("doctor.not_running", { bot: bot.id }));
      continue;
    }
    if (bot.eventMode === "websocket") {
      const state = seen.longConnection?.state ?? "not opened";
      if (state === "connected") report.pass(say("doctor.ws_up", { bot: bot.id }));
      else {
        report.fail(
          say("doctor.ws_down", {
            bot: bot.id,
            state: seen.longConnection?.lastError
              ? `${state}: ${seen.longConnection.lastError}`
              : state,
          }),
        );
      }
      continue;
    }
    const rejection = seen.lastRejected;
    if (rejection && (!seen.lastAckedAt || rejection.at > seen.lastAckedAt)) {
      const advice = REJECTION_ADVICE[rejection.code];
      report.fail(
        `${say("doctor.rejected", { bot: bot.id, code: rejection.code })} ${advice ? say(advice) : ""}`.trim(),
      );
    } else if (seen.acked) {
      report.pass(say("doctor.pushes_ok", { bot: bot.id, count: seen.acked }));
    } else {
      report.warn(say("doctor.no_pushes", { bot: bot.id, minutes }));
    }
  }
}
