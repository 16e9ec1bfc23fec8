import type { Logger } from "pino";
import { translator } from "../i18n/translate.js";
import type { Store } from "../store/store.js";
import { isAiMode, SETTING } from "./ai-modes.js";
import type { AppRuntime, BotRuntime } from "./bot-runtime.js";
import {
  aiModesCard,
  available,
  clearConfirmCard,
  helpCard,
  modelsCard,
  roleSetCard,
  roleTagsCard,
  usageCard,
} from "./command-cards.js";
import type { Command } from "./commands.js";
import { limitLines } from "./limit-cards.js";
import { pictureModeCard } from "./picture-cards.js";
import type { ReplyTarget } from "./ports.js";
import { readingRules } from "./question-limits.js";
import { usageFigures } from "./usage-figures.js";
import { visionModeCard } from "./vision-cards.js";

export interface CommandContext {
  bot: BotRuntime;
  app: AppRuntime;
  target: ReplyTarget;
  conversationKey: string;
  senderOpenId: string;
  store: Store;
  logger: Logger;
}

/**
 * Answers a command with a notice or a card; never asks the model. A command that does not
 * apply to this bot's app (an answer style for a FastGPT app) is answered with the help card,
 * which says what does.
 */
export async function runCommand(command: Command, ctx: CommandContext): Promise<void> {
  const { bot, app, target, conversationKey, store } = ctx;
  const say = translator(bot.language);
  const settings = () => store.getConversation(bot.id, conversationKey).then((c) => c.settings);
  const help = async () =>
    bot.replier.card(target, helpCard(bot, app, await settings(), conversationKey, say));
  const on = available(bot, app);
  ctx.logger.info({ command: command.type }, "command");

  switch (command.type) {
    case "reset":
      await store.resetConversation(bot.id, conversationKey);
      return bot.replier.notice(target, say("notice.reset"));
    case "help":
      return help();
    case "clear":
      if (!bot.confirmClear) {
        await store.resetConversation(bot.id, conversationKey);
        return bot.replier.notice(target, say("clear.done"));
      }
      return bot.replier.card(target, clearConfirmCard(conversationKey, say));
    case "system": {
      if (!on.system) return help();
      if (!command.prompt) {
        const word = bot.commands.words.system?.[0] ?? "/system";
        return bot.replier.notice(target, say("system.missing", { word }));
      }
      await setRole(store, bot.id, conversationKey, command.prompt);
      return bot.replier.card(target, roleSetCard(command.prompt, conversationKey, say));
    }
    case "roles":
      if (!on.roles) return help();
      return bot.replier.card(target, roleTagsCard(bot, conversationKey, say));
    case "ai_mode": {
      if (!on.ai_mode) return help();
      const mode = (await settings())[SETTING.aiMode];
      return bot.replier.card(
        target,
        aiModesCard(isAiMode(mode) ? mode : "standard", conversationKey, say),
      );
    }
    case "model": {
      if (!on.model) return bot.replier.notice(target, say("model.off"));
      const current = (await settings())[SETTING.model] ?? app.backend.model;
      if (!command.name)
        return bot.replier.card(target, modelsCard(app, current, conversationKey, say));
      if (!app.models.includes(command.name)) {
        return bot.replier.notice(
          target,
          say("model.unknown", { model: command.name, models: app.models.join(", ") }),
        );
      }
      await store.updateSettings(bot.id, conversationKey, { [SETTING.model]: command.name });
      return bot.replier.notice(target, say("model.set", { model: command.name }));
    }
    case "picture": {
      // With a description the worker draws it (handleMessage); here only the mode switch.
      if (!on.picture || !app.pictures) return help();
      if ((await settings())[SETTING.pictureMode]) {
        await store.updateSettings(bot.id, conversationKey, { [SETTING.pictureMode]: null });
        return bot.replier.notice(target, say("picture.mode_off"));
      }
      await store.updateSettings(bot.id, conversationKey, {
        [SETTING.pictureMode]: "on",
        [SETTING.visionMode]: null,
      });
      const word = on.picture[0] ?? "/picture";
      return bot.replier.card(
        target,
        pictureModeCard(app.pictures, await settings(), conversationKey, word, say),
      );
    }
    case "vision": {
      if (!on.vision) return help();
      if ((await settings())[SETTING.visionMode]) {
        await store.updateSettings(bot.id, conversationKey, {
          [SETTING.visionMode]: null,
          [SETTING.visionPending]: null,
        });
        return bot.replier.notice(target, say("vision.mode_off"));
      }
      await store.updateSettings(bot.id, conversationKey, {
        [SETTING.visionMode]: "on",
        [SETTING.pictureMode]: null,
      });
      const word = on.vision[0] ?? "/vision";
      return bot.replier.card(target, visionModeCard(await settings(), conversationKey, word, say));
    }
    case "usage": {
      const figures = await usageFigures(store, {
        botId: bot.id,
        conversationKey,
        senderOpenId: ctx.senderOpenId,
      });
      // The user's own use against each limit that applies to them, as the store counts it.
      const limits = bot.limitsFor?.(target.chatId, ctx.senderOpenId);
      const rules = limits
        ? readingRules(limits, {
            botId: bot.id,
            chatId: target.chatId,
            userOpenId: ctx.senderOpenId,
          })
        : [];
      const { now, readings } = await store.readLimits(rules);
      return bot.replier.card(
        target,
        usageCard(figures, say, limitLines(rules, readings, now, say)),
      );
    }
  }
}

/** A role starts a new history with its prompt (Feishu-OpenAI's `/system`); it is kept. */
export async function setRole(
  store: Store,
  botId: string,
  conversationKey: string,
  prompt: string,
): Promise<void> {
  await store.resetConversation(botId, conversationKey);
  await store.updateSettings(botId, conversationKey, { [SETTING.systemPrompt]: prompt });
}
