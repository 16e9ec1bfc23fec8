import {
  type AccessPolicy,
  type AppConfig,
  type BotConfig,
  type ChatOverride,
  defaultVoiceEngine,
  type VoiceEngine,
} from "./config.js";
import type { AppMap } from "./config-file-apps.js";
import { commandSettings } from "./config-file-commands.js";
import { buildLimits } from "./config-file-limits.js";
import type { FilePath, Problems } from "./config-file-problems.js";
import { BOT_ID, botSchema, type RawBot } from "./config-file-schema.js";
import { languageForDomain } from "./lark-domain.js";

/** The `bots:` section, with app names resolved against `apps`. Invalid bots are left out. */
export function buildBots(
  raw: Record<string, unknown>,
  apps: AppMap,
  problems: Problems,
): BotConfig[] {
  const bots: BotConfig[] = [];
  const byAppId = new Map<string, string>();
  for (const [id, value] of Object.entries(raw)) {
    const path = ["bots", id];
    if (!BOT_ID.test(id)) {
      problems.add(
        path,
        `"${id}" cannot be a bot id: it becomes the URL /webhook/<id>/event, so use 1-32 lower-case letters, digits, "_" or "-", starting with a letter or digit`,
      );
      continue;
    }
    const parsed = botSchema.safeParse(value);
    if (!parsed.success) {
      problems.addIssues(path, parsed.error.issues);
      continue;
    }
    const bot = buildBot(id, parsed.data, apps, path, problems);
    if (!bot) continue;
    const owner = byAppId.get(bot.appId);
    if (owner !== undefined) {
      problems.add(
        [...path, "appId"],
        `${bot.appId} is already used by bot "${owner}"; a Lark app sends its events to one Request URL, so each bot needs its own app`,
      );
      continue;
    }
    byAppId.set(bot.appId, id);
    bots.push(bot);
  }
  return bots;
}

function buildBot(
  id: string,
  raw: RawBot,
  apps: AppMap,
  path: FilePath,
  problems: Problems,
): BotConfig | undefined {
  const before = problems.count;
  const app = findApp(raw.app, apps, [...path, "app"], problems);
  const chatOverrides = overrides(raw.chats, apps, [...path, "chats"], problems);
  const commands = commandSettings(raw.commands, [...path, "commands"], problems);
  // An invalid app was reported under apps:; the bot is left out without a second message.
  if (problems.count > before || !app) return undefined;
  const voice = voiceEngine(raw.voice, app, raw.app, [...path, "voice"], problems);
  if (!voice) return undefined;
  return {
    id,
    appId: raw.appId,
    appSecret: raw.appSecret,
    ...(raw.encryptKey ? { encryptKey: raw.encryptKey } : {}),
    ...(raw.verificationToken ? { verificationToken: raw.verificationToken } : {}),
    ...(raw.name ? { name: raw.name } : {}),
    domain: raw.domain,
    eventMode: raw.eventMode ?? "webhook",
    groupTrigger: raw.groupTrigger ?? "mention",
    ...(raw.answerMode ? { answerMode: raw.answerMode } : {}),
    ...(raw.footer !== undefined ? { footer: raw.footer } : {}),
    // `auto` is resolved here, so every consumer reads `bot.language`.
    language:
      raw.language === undefined || raw.language === "auto"
        ? languageForDomain(raw.domain)
        : raw.language,
    ...(commands ? { commands } : {}),
    ...(raw.confirmClear !== undefined ? { confirmClear: raw.confirmClear } : {}),
    ...(raw.chatLogRetentionDays !== undefined
      ? { chatLogRetentionDays: raw.chatLogRetentionDays }
      : {}),
    ...(raw.welcome !== undefined && raw.welcome !== null
      ? { welcome: raw.welcome === false ? "" : raw.welcome }
      : {}),
    voice,
    app,
    ...(raw.allow || raw.deny ? { access: access(raw) } : {}),
    ...(chatOverrides ? { chatOverrides } : {}),
    ...(raw.limits ? { limits: buildLimits(raw.limits) } : {}),
  };
}

/** `voice:`, or the default for the bot's app; `openai` needs an app with that API. */
function voiceEngine(
  configured: VoiceEngine | undefined,
  app: AppConfig,
  appName: string,
  path: FilePath,
  problems: Problems,
): VoiceEngine | undefined {
  if (configured === undefined) return defaultVoiceEngine(app);
  if (configured === "openai" && app.backend !== "openai" && app.backend !== "azure") {
    problems.add(
      path,
      `openai transcribes with the app's /audio/transcriptions, and app "${appName}" is ${app.backend}, which has none: use lark (Lark's speech recognition, scope speech_to_text:speech) or off`,
    );
    return undefined;
  }
  return configured;
}

function findApp(
  name: string,
  apps: AppMap,
  path: FilePath,
  problems: Problems,
): AppConfig | undefined {
  const app = apps.get(name);
  if (app === undefined) {
    const defined = apps.size > 0 ? [...apps.keys()].join(", ") : "none";
    problems.add(path, `no app named "${name}" (apps defined: ${defined})`);
  }
  return app ?? undefined;
}

function access(raw: RawBot): AccessPolicy {
  return {
    allowChats: raw.allow?.chats ?? [],
    allowUsers: raw.allow?.users ?? [],
    denyChats: raw.deny?.chats ?? [],
    denyUsers: raw.deny?.users ?? [],
  };
}

function overrides(
  chats: RawBot["chats"],
  apps: AppMap,
  path: FilePath,
  problems: Problems,
): Record<string, ChatOverride> | undefined {
  if (!chats) return undefined;
  const out: Record<string, ChatOverride> = {};
  for (const [chatId, override] of Object.entries(chats)) {
    const app = override.app
      ? findApp(override.app, apps, [...path, chatId, "app"], problems)
      : undefined;
    out[chatId] = {
      ...(app ? { app } : {}),
      ...(override.systemPrompt ? { systemPrompt: override.systemPrompt } : {}),
    };
  }
  return out;
}
