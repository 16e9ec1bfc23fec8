import type { BotConfig } from "../config/config.js";
import { placeholdersIn } from "../conversation/turn-placeholders.js";
import { type Language, translator } from "../i18n/translate.js";
import type { LarkApi } from "../lark/outbound/lark-api.js";
import type { CheckReport } from "./check-report.js";

/** An id no Lark object has (real ones are 32 hex digits), so probes change nothing. */
const NO_MESSAGE = "om_larkgate-scope-probe";

interface ScopeProbe {
  /** The console's name for the permission, and its scope. */
  scope: string;
  /** What the bot uses it for, as the doctor says it. */
  feature:
    | "replies"
    | "quotes"
    | "typing"
    | "patch"
    | "cardkit"
    | "pictures"
    | "voice"
    | "sender_names"
    | "chat_names";
  /** Without it the feature is off (fail), or the bot falls back (warn). */
  needed: boolean;
  method: "GET" | "POST" | "PATCH";
  url: string;
  data?: unknown;
}

/** The scopes this bot's configuration relies on, each with a harmless call that needs it. */
function probesFor(bot: BotConfig): ScopeProbe[] {
  const app = bot.app;
  const chat = app.backend === "openai" || app.backend === "azure";
  const pictures = app.vision === true || (chat && app.imageModel !== false);
  const mode = bot.answerMode ?? "cardkit";
  const probes: ScopeProbe[] = [
    {
      scope: "im:message:send_as_bot",
      feature: "replies",
      needed: true,
      method: "POST",
      url: `/open-apis/im/v1/messages/${NO_MESSAGE}/reply`,
      data: { msg_type: "text", content: JSON.stringify({ text: "probe" }) },
    },
    {
      scope: "im:message:readonly",
      feature: "quotes",
      needed: false,
      method: "GET",
      url: `/open-apis/im/v1/messages/${NO_MESSAGE}`,
    },
    {
      scope: "im:message.reactions:write_only",
      feature: "typing",
      needed: false,
      method: "POST",
      url: `/open-apis/im/v1/messages/${NO_MESSAGE}/reactions`,
      data: { reaction_type: { emoji_type: "Typing" } },
    },
  ];
  if (mode !== "final") {
    probes.push({
      scope: "im:message:update",
      feature: "patch",
      needed: mode === "patch",
      method: "PATCH",
      url: `/open-apis/im/v1/messages/${NO_MESSAGE}`,
      data: { content: "{}" },
    });
  }
  if (mode === "cardkit") {
    probes.push({
      scope: "cardkit:card:write",
      feature: "cardkit",
      needed: false,
      method: "PATCH",
      url: "/open-apis/cardkit/v1/cards/larkgate-scope-probe/settings",
      data: { settings: "{}", sequence: 1 },
    });
  }
  if (bot.voice === "lark") {
    // An empty speech fails Lark's field check, which comes after the scope check: nothing is
    // recognised (or billed).
    probes.push({
      scope: "speech_to_text:speech",
      feature: "voice",
      needed: true,
      method: "POST",
      url: "/open-apis/speech_to_text/v1/speech/file_recognize",
      data: {
        speech: { speech: "" },
        config: { file_id: "larkgateprobe000", format: "pcm", engine_type: "16k_auto" },
      },
    });
  }
  if (bot.voice === "lark" || bot.voice === "openai") {
    // The voice message's audio comes from the resources API, like pictures.
    if (!pictures) {
      probes.push({
        scope: "im:resource",
        feature: "voice",
        needed: true,
        method: "GET",
        url: "/open-apis/im/v1/images/img_larkgate-scope-probe",
      });
    }
  }
  // Names in an app's variables or prompt: without the scope the ids are sent instead.
  const used = placeholdersIn([app.systemPrompt, ...Object.values(app.variables ?? {})]);
  if (used.has("sender.name")) {
    probes.push({
      scope: "contact:user.base:readonly",
      feature: "sender_names",
      needed: false,
      method: "GET",
      url: "/open-apis/contact/v3/users/ou_larkgate-scope-probe?user_id_type=open_id",
    });
  }
  if (used.has("chat.name")) {
    probes.push({
      scope: "im:chat:readonly",
      feature: "chat_names",
      needed: false,
      method: "GET",
      url: "/open-apis/im/v1/chats/oc_larkgate-scope-probe",
    });
  }
  if (pictures) {
    probes.push({
      scope: "im:resource",
      feature: "pictures",
      needed: true,
      method: "GET",
      url: "/open-apis/im/v1/images/img_larkgate-scope-probe",
    });
  }
  return probes;
}

/**
 * The doctor's permission check: for each scope the bot's features need, a call on an id that
 * cannot exist, read for Lark's "scope missing" answer; each problem says the console page
 * and what to add, in the bot's language.
 */
export async function checkScopes(
  bot: BotConfig,
  api: Pick<LarkApi, "probeScope">,
  report: CheckReport,
  language: Language,
): Promise<void> {
  const say = translator(language);
  for (const probe of probesFor(bot)) {
    const feature = say(`doctor.feature.${probe.feature}`);
    const result = await api.probeScope(probe.method, probe.url, probe.data);
    if ("error" in result) {
      report.warn(
        say("doctor.scope_unknown", { scope: probe.scope, feature, reason: result.error }),
      );
    } else if (result.granted) {
      report.pass(say("doctor.scope_ok", { scope: probe.scope, feature }));
    } else {
      const line = say(probe.needed ? "doctor.scope_missing" : "doctor.scope_fallback", {
        scope: probe.scope,
        feature,
      });
      if (probe.needed) report.fail(line);
      else report.warn(line);
    }
  }
  if (bot.groupTrigger === "all") {
    // An event permission: no API call needs it, so only the console can show it.
    report.info(say("doctor.group_msg"));
  }
}
