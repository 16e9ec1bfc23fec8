import type { Logger } from "pino";
import type { PictureData } from "../backends/picture-maker.js";
import { translator } from "../i18n/translate.js";
import { IMAGE_PLACEHOLDER } from "../messages/inbound-message.js";
import type { Store } from "../store/store.js";
import { SETTING } from "./ai-modes.js";
import type { AppRuntime, BotRuntime } from "./bot-runtime.js";
import { available } from "./command-cards.js";
import type { Command } from "./commands.js";
import { makePicture } from "./make-picture.js";
import type { ReplyTarget } from "./ports.js";
import type { RunningAnswers } from "./running-answers.js";

/** What edits and variations are told when the user sent a picture without words. */
const VARIATION_PROMPT = "the same picture, redrawn";
/** Lark serves received images up to 10 MB. */
const MAX_SOURCE_BYTES = 10 * 1024 * 1024;

export interface PictureMessage {
  bot: BotRuntime;
  app: AppRuntime;
  target: ReplyTarget;
  conversationKey: string;
  senderOpenId: string;
  messageId: string;
  /** The message's text, the bot's mention removed. */
  text: string;
  imageKeys: string[];
  command: Command | undefined;
}

/**
 * A message that asks for a picture: `/picture <description>`, or anything in picture mode
 * (text is drawn; a picture, with or without words, gets a variation). False when the message
 * is not one, so it goes on as a question or command.
 */
export async function handlePictureMessage(
  message: PictureMessage,
  deps: { store: Store; running: RunningAnswers; logger: Logger },
): Promise<boolean> {
  const { bot, app, command, text, imageKeys } = message;
  const pictures = app.pictures;
  if (!pictures || !available(bot, app).picture) return false;
  const explicit = command?.type === "picture" && command.prompt !== "";
  if (!explicit) {
    if (command) return false;
    const { settings } = await deps.store.getConversation(bot.id, message.conversationKey);
    if (!settings[SETTING.pictureMode]) return false;
  }
  let from: PictureData | undefined;
  if (!explicit && imageKeys.length > 0) {
    try {
      from = await bot.downloadImage(message.messageId, imageKeys[0]!, MAX_SOURCE_BYTES);
    } catch (error) {
      deps.logger.info(
        { err: { message: (error as Error).message } },
        "picture to vary not readable",
      );
      await bot.replier.notice(message.target, translator(bot.language)("notice.image_unreadable"));
      return true;
    }
  }
  const prompt = command?.type === "picture" ? command.prompt : text;
  await makePicture(
    {
      bot,
      app: { ...app, pictures },
      target: message.target,
      conversationKey: message.conversationKey,
      senderOpenId: message.senderOpenId,
      prompt: prompt || VARIATION_PROMPT,
      question: from ? (prompt ? `${IMAGE_PLACEHOLDER} ${prompt}` : IMAGE_PLACEHOLDER) : prompt,
      ...(from ? { from } : {}),
    },
    deps,
  );
  return true;
}
