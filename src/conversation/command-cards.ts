import type { Translate } from "../i18n/translate.js";
import type { InfoButton, InfoCard } from "../messages/info-card.js";
import type { Usage } from "../store/store.js";
import { AI_MODES, type AiModeName, isAiMode, SETTING } from "./ai-modes.js";
import type { AppRuntime, BotRuntime } from "./bot-runtime.js";
import type { CommandName } from "./commands.js";
import { rolesByTag } from "./roles.js";

/** Buttons per row: Lark lays a row out on one line, and narrow phones fit about three. */
const PER_ROW = 3;

function rows(buttons: InfoButton[]): InfoButton[][] {
  const out: InfoButton[][] = [];
  for (let i = 0; i < buttons.length; i += PER_ROW) out.push(buttons.slice(i, i + PER_ROW));
  return out;
}

const words = (list: readonly string[]) => list.map((w) => `\`${w}\``).join(" / ");

/** `/help`: what this bot does with its configuration now, and buttons for the usual actions. */
export function helpCard(
  bot: BotRuntime,
  app: AppRuntime,
  settings: Readonly<Record<string, string>>,
  conversationKey: string,
  say: Translate,
): InfoCard {
  const lines = [say("help.intro"), say("help.app", { app: app.name, backend: app.kind })];
  lines.push(say(app.vision ? "help.pictures_on" : "help.pictures_off"));
  lines.push(voiceLine(bot, say));
  const role = settings[SETTING.systemPrompt];
  if (role) lines.push(say("help.role_now", { role: clip(role, 80) }));
  const mode = settings[SETTING.aiMode];
  if (isAiMode(mode)) lines.push(say("help.mode_now", { mode: say(AI_MODES[mode].label) }));
  if (settings[SETTING.model])
    lines.push(say("help.model_now", { model: settings[SETTING.model]! }));
  if (settings[SETTING.pictureMode] && available(bot, app).picture) {
    lines.push(say("help.picture_mode_now"));
  }
  if (settings[SETTING.visionMode] && available(bot, app).vision) {
    lines.push(say("help.vision_mode_now"));
  }
  lines.push("", say("help.commands"));
  lines.push(`- ${say("help.cmd.reset", { words: words(["Reset", "/reset", "/new"]) })}`);
  for (const [name, list] of Object.entries(available(bot, app)) as [CommandName, string[]][]) {
    lines.push(`- ${say(`help.cmd.${name}`, { words: words(list) })}`);
  }
  const buttons: InfoButton[] = [
    { label: say("help.button.new_chat"), action: { action: "new_chat", conversationKey } },
    ...commandButtons(bot, app, conversationKey, say),
  ];
  return { title: say("help.title"), tone: "info", body: lines.join("\n"), buttons: rows(buttons) };
}

/** Whether voice messages are answered, and who turns them into text. */
function voiceLine(bot: BotRuntime, say: Translate): string {
  if (!bot.voice) return say("help.voice_off");
  if (bot.voice.engine === "lark") return say("help.voice_lark");
  return say("help.voice_openai", { model: `\`${bot.voice.model ?? "whisper-1"}\`` });
}

/**
 * The commands that work for this app: roles, answer styles and models need an app that takes
 * them per request (FastGPT and Dify keep their prompt and model in the app), `/model` an
 * allow-list, `/roles` presets.
 */
export function available(
  bot: BotRuntime,
  app: AppRuntime,
): Partial<Record<CommandName, string[]>> {
  const on: Partial<Record<CommandName, string[]>> = {};
  for (const [name, list] of Object.entries(bot.commands.words) as [CommandName, string[]][]) {
    if ((name === "ai_mode" || name === "system" || name === "roles") && !app.tunable) continue;
    if (name === "model" && (!app.tunable || app.models.length === 0)) continue;
    if (name === "roles" && bot.roles.length === 0) continue;
    if (name === "picture" && !app.pictures) continue;
    if (name === "vision" && !app.vision) continue;
    on[name] = list;
  }
  return on;
}

/**
 * The welcome, sent when the bot joins a group or a user opens the p2p chat: the configured
 * text, and the help card's buttons that apply to everyone (in a group each presser gets their
 * own conversation).
 */
export function welcomeCard(
  bot: BotRuntime,
  app: AppRuntime,
  text: string,
  conversationKey: string,
  say: Translate,
): InfoCard {
  const buttons = commandButtons(bot, app, conversationKey, say);
  return {
    title: bot.name || say("help.title"),
    tone: "info",
    body: text,
    ...(buttons.length ? { buttons: rows(buttons) } : {}),
  };
}

/** The buttons of the help and welcome cards for the commands that work for this app. */
function commandButtons(
  bot: BotRuntime,
  app: AppRuntime,
  conversationKey: string,
  say: Translate,
): InfoButton[] {
  const on = available(bot, app);
  const buttons: InfoButton[] = [];
  if (on.roles) {
    buttons.push({ label: say("help.button.roles"), action: { action: "roles", conversationKey } });
  }
  if (on.ai_mode) {
    buttons.push({
      label: say("help.button.ai_mode"),
      action: { action: "ai_modes", conversationKey },
    });
  }
  if (on.picture) {
    buttons.push({
      label: say("help.button.picture"),
      action: { action: "picture_mode", conversationKey },
    });
  }
  if (on.vision) {
    buttons.push({
      label: say("help.button.vision"),
      action: { action: "vision_mode", conversationKey },
    });
  }
  if (on.usage) {
    buttons.push({ label: say("help.button.usage"), action: { action: "usage", conversationKey } });
  }
  return buttons;
}

export function clearConfirmCard(conversationKey: string, say: Translate): InfoCard {
  return {
    title: say("clear.title"),
    tone: "warning",
    body: say("clear.body"),
    buttons: [
      [
        {
          label: say("clear.confirm"),
          style: "danger",
          action: { action: "clear_confirm", conversationKey },
        },
        { label: say("clear.cancel"), action: { action: "clear_cancel", conversationKey } },
      ],
    ],
  };
}

/** A result in place of a card that asked something: the title stays, the question goes. */
export function doneCard(
  title: string,
  body: string,
  tone: InfoCard["tone"] = "success",
): InfoCard {
  return { title, tone, body };
}

export function roleSetCard(prompt: string, conversationKey: string, say: Translate): InfoCard {
  return {
    title: say("system.title"),
    tone: "success",
    body: say("system.body", { prompt: quote(prompt) }),
    buttons: [
      [{ label: say("system.default"), action: { action: "system_default", conversationKey } }],
    ],
  };
}

export function roleTagsCard(bot: BotRuntime, conversationKey: string, say: Translate): InfoCard {
  if (bot.roles.length === 0) return doneCard(say("roles.title"), say("roles.none"), "info");
  const tags = [...rolesByTag(bot.roles, otherTag(say)).keys()];
  return {
    title: say("roles.title"),
    tone: "info",
    body: say("roles.pick_tag"),
    buttons: rows(
      tags.map((tag) => ({
        label: tag,
        action: { action: "role_tag", conversationKey, param: tag },
      })),
    ),
  };
}

export function rolesOfTagCard(
  bot: BotRuntime,
  tag: string,
  conversationKey: string,
  say: Translate,
): InfoCard {
  const roles = rolesByTag(bot.roles, otherTag(say)).get(tag) ?? [];
  const buttons: InfoButton[] = roles.map((role) => ({
    label: role.title,
    action: { action: "role_pick", conversationKey, param: role.title },
  }));
  return {
    title: say("roles.title"),
    tone: "info",
    body: [
      say("roles.pick_role", { tag }),
      ...roles.map((r) => `- **${r.title}**: ${clip(r.content, 60)}`),
    ].join("\n"),
    buttons: [
      ...rows(buttons),
      [{ label: say("roles.back"), action: { action: "roles", conversationKey } }],
    ],
  };
}

export function aiModesCard(
  current: AiModeName,
  conversationKey: string,
  say: Translate,
): InfoCard {
  const buttons = (Object.keys(AI_MODES) as AiModeName[]).map((mode) => ({
    label: say(AI_MODES[mode].label),
    style: mode === current ? ("primary" as const) : ("default" as const),
    action: { action: "ai_mode" as const, conversationKey, param: mode },
  }));
  return {
    title: say("ai_mode.title"),
    tone: "info",
    body: say("ai_mode.body", { mode: say(AI_MODES[current].label) }),
    buttons: [buttons],
  };
}

export function modelsCard(
  app: AppRuntime,
  current: string,
  conversationKey: string,
  say: Translate,
): InfoCard {
  const buttons = app.models.map((model) => ({
    label: model,
    style: model === current ? ("primary" as const) : ("default" as const),
    action: { action: "model" as const, conversationKey, param: model },
  }));
  return {
    title: say("model.title"),
    tone: "info",
    body: say("model.body", { model: current }),
    buttons: rows(buttons),
  };
}

export interface UsageFigures {
  conversationToday: Usage;
  youToday: Usage;
  youMonth: Usage;
  botToday: Usage;
  botMonth: Usage;
}

/** `limits`: the lines of the limits that apply to the asker (`limitLines`), if any. */
export function usageCard(
  figures: UsageFigures,
  say: Translate,
  limits: readonly string[] = [],
): InfoCard {
  const row = (scope: string, usage: Usage) =>
    `- ${say("usage.row", { scope, answers: usage.answers, tokens: usage.tokens })}`;
  const today = say("usage.today");
  const month = say("usage.month");
  const body = [
    `**${today}**`,
    row(say("usage.conversation"), figures.conversationToday),
    row(say("usage.you"), figures.youToday),
    row(say("usage.bot"), figures.botToday),
    `**${month}**`,
    row(say("usage.you"), figures.youMonth),
    row(say("usage.bot"), figures.botMonth),
    ...limits,
    "",
    say("usage.note"),
  ];
  return { title: say("usage.title"), tone: "info", body: body.join("\n") };
}

function otherTag(say: Translate): string {
  return say("roles.title");
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function quote(text: string): string {
  return text
    .split("\n")
    .map((line) => `> ${line}`)
    .join("\n");
}
