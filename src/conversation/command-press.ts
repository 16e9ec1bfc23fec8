import type { PictureShape, PictureStyle } from "../backends/picture-maker.js";
import type { Translate } from "../i18n/translate.js";
import type { CardActionReply } from "../messages/card-action.js";
import type { ToolbarAction } from "../messages/toolbar-action.js";
import type { Store } from "../store/store.js";
import { AI_MODES, isAiMode, SETTING } from "./ai-modes.js";
import type { AppRuntime, BotRuntime } from "./bot-runtime.js";
import {
  aiModesCard,
  available,
  doneCard,
  roleSetCard,
  rolesOfTagCard,
  roleTagsCard,
  usageCard,
} from "./command-cards.js";
import { pictureModeCard } from "./picture-cards.js";
import { setRole } from "./run-command.js";
import { usageFigures } from "./usage-figures.js";
import { isDetailChoice, visionModeCard } from "./vision-cards.js";

export interface CommandPressContext {
  bot: BotRuntime;
  app: AppRuntime;
  store: Store;
  operatorOpenId: string;
  say: Translate;
}

type CommandButton = Exclude<
  ToolbarAction,
  {
    action:
      | "stop"
      | "regenerate"
      | "new_chat"
      | "picture_again"
      | "picture_vary"
      | "pause_pick"
      | "pause_submit";
  }
>;

/**
 * A press on a command card, answered on the ack path: a few store writes at most, and the
 * card that takes the pressed one's place (the confirmation becomes its result, a list goes a
 * level down). A choice that no longer exists (a role removed by a reload) says the card is
 * out of date instead of guessing.
 */
export async function pressCommandButton(
  action: CommandButton,
  ctx: CommandPressContext,
): Promise<CardActionReply> {
  const { bot, app, store, say } = ctx;
  const key = action.conversationKey;
  const on = available(bot, app);
  const expired: CardActionReply = { toast: { type: "warning", content: say("toast.expired") } };
  switch (action.action) {
    case "clear_confirm":
      await store.resetConversation(bot.id, key);
      return { card: doneCard(say("clear.title"), say("clear.done")) };
    case "clear_cancel":
      return { card: doneCard(say("clear.title"), say("clear.cancelled"), "info") };
    case "system_default":
      await store.updateSettings(bot.id, key, { [SETTING.systemPrompt]: null });
      return { card: doneCard(say("system.title"), say("system.cleared"), "info") };
    case "roles":
      if (!on.roles) return expired;
      return { card: roleTagsCard(bot, key, say) };
    case "role_tag":
      if (!on.roles) return expired;
      return { card: rolesOfTagCard(bot, action.param, key, say) };
    case "role_pick": {
      const role = on.roles ? bot.roles.find((r) => r.title === action.param) : undefined;
      if (!role) return expired;
      await setRole(store, bot.id, key, role.content);
      return {
        toast: { type: "success", content: say("toast.done") },
        card: roleSetCard(role.content, key, say),
      };
    }
    case "ai_modes": {
      if (!on.ai_mode) return expired;
      const mode = (await store.getConversation(bot.id, key)).settings[SETTING.aiMode];
      return { card: aiModesCard(isAiMode(mode) ? mode : "standard", key, say) };
    }
    case "ai_mode": {
      if (!on.ai_mode || !isAiMode(action.param)) return expired;
      // "standard" is the app's own setting: nothing to keep.
      const value = action.param === "standard" ? null : action.param;
      await store.updateSettings(bot.id, key, { [SETTING.aiMode]: value });
      const label = say(AI_MODES[action.param].label);
      return {
        toast: { type: "success", content: say("ai_mode.set", { mode: label }) },
        card: aiModesCard(action.param, key, say),
      };
    }
    case "model": {
      if (!on.model || !app.models.includes(action.param)) return expired;
      await store.updateSettings(bot.id, key, { [SETTING.model]: action.param });
      return {
        toast: { type: "success", content: say("model.set", { model: action.param }) },
        card: doneCard(say("model.title"), say("model.set", { model: action.param })),
      };
    }
    case "picture_mode":
    case "picture_shape":
    case "picture_style": {
      if (!on.picture || !app.pictures) return expired;
      const maker = app.pictures;
      const change: Record<string, string | null> = {
        [SETTING.pictureMode]: "on",
        [SETTING.visionMode]: null,
      };
      if (action.action === "picture_shape") {
        if (!maker.shapes.includes(action.param as PictureShape)) return expired;
        change[SETTING.pictureShape] = action.param;
      }
      if (action.action === "picture_style") {
        if (!maker.styles.includes(action.param as PictureStyle)) return expired;
        change[SETTING.pictureStyle] = action.param;
      }
      await store.updateSettings(bot.id, key, change);
      const { settings } = await store.getConversation(bot.id, key);
      const word = on.picture[0] ?? "/picture";
      return {
        ...(action.action === "picture_mode"
          ? {}
          : { toast: { type: "success" as const, content: say("picture.set") } }),
        card: pictureModeCard(maker, settings, key, word, say),
      };
    }
    case "vision_mode":
    case "vision_detail": {
      if (!on.vision) return expired;
      const change: Record<string, string | null> = {
        [SETTING.visionMode]: "on",
        [SETTING.pictureMode]: null,
      };
      if (action.action === "vision_detail") {
        if (!isDetailChoice(action.param)) return expired;
        change[SETTING.imageDetail] = action.param === "auto" ? null : action.param;
      }
      await store.updateSettings(bot.id, key, change);
      const { settings } = await store.getConversation(bot.id, key);
      const card = visionModeCard(settings, key, on.vision[0] ?? "/vision", say);
      if (action.action !== "vision_detail" || !isDetailChoice(action.param)) return { card };
      const detail = say(`vision.detail.${action.param}`);
      return { toast: { type: "success", content: say("vision.set", { detail }) }, card };
    }
    case "vision_leave":
      await store.updateSettings(bot.id, key, {
        [SETTING.visionMode]: null,
        [SETTING.visionPending]: null,
      });
      return { card: doneCard(say("vision.title"), say("vision.mode_off"), "info") };
    case "picture_leave":
      await store.updateSettings(bot.id, key, { [SETTING.pictureMode]: null });
      return { card: doneCard(say("picture.title"), say("picture.mode_off"), "info") };
    case "usage": {
      const figures = await usageFigures(store, {
        botId: bot.id,
        conversationKey: key,
        senderOpenId: ctx.operatorOpenId,
      });
      return { card: usageCard(figures, say) };
    }
  }
}
