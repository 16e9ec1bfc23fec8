import type { Logger } from "pino";
import { translator } from "../i18n/translate.js";
import type { JobRun } from "../intake/job-run.js";
import {
  audioOf,
  IMAGE_PLACEHOLDER,
  type InboundMessage,
  imageKeysOf,
  VOICE_PLACEHOLDER,
} from "../messages/inbound-message.js";
import { mentionsBot, messageText } from "../messages/message-text.js";
import type { ReadBackMessage } from "../messages/read-back-message.js";
import type { Store } from "../store/store.js";
import { SETTING } from "./ai-modes.js";
import { answerKey } from "./answer-key.js";
import type { BotRuntime } from "./bot-runtime.js";
import { available } from "./command-cards.js";
import { parseCommand } from "./commands.js";
import { handlePictureMessage } from "./picture-message.js";
import { type ImageSource, imagesIn, picturesFor, picturesInput } from "./pictures-for.js";
import type { AnswerObserver, ReplyTarget } from "./ports.js";
import { wasRecalled } from "./recall-question.js";
import { runCommand } from "./run-command.js";
import { runTurn } from "./run-turn.js";
import type { RunningAnswers } from "./running-answers.js";
import { holdPictures, takeHeldPictures } from "./vision-pending.js";
import { hearVoice } from "./voice-message.js";

export interface HandleMessageDeps {
  store: Store;
  running: RunningAnswers;
  logger: Logger;
  /** Messages older than this when their turn comes are not answered; 0 answers all. */
  staleAfterMs?: number;
  observe?: AnswerObserver;
}

/**
 * The worker's handler for one persisted Lark message: trigger policy, commands, then a turn.
 * Policy lives here, not at intake, because it needs the bot's open_id (a network call the
 * 3-second ack must not wait for).
 */
export async function handleMessage(
  bot: BotRuntime,
  run: JobRun,
  conversationKey: string,
  message: InboundMessage,
  deps: HandleMessageDeps,
): Promise<void> {
  const log = deps.logger;
  const ageMs = Date.now() - Number(message.createTime);
  if (deps.staleAfterMs && ageMs > deps.staleAfterMs) {
    // Lark re-pushes what it could not deliver for hours; an answer that late is more
    // confusing than none, and the person has usually asked again or moved on.
    log.info({ ageMinutes: Math.round(ageMs / 60_000) }, "ignored: message too old to answer");
    return;
  }
  const recalled = async () => {
    if (!(await wasRecalled(deps.store, bot.id, message.messageId))) return false;
    log.info("ignored: the message was recalled before its turn");
    return true;
  };
  if (await recalled()) return;
  if (message.sender.type !== "user") {
    log.debug({ senderType: message.sender.type }, "ignored: message from a bot");
    return;
  }
  if (!bot.mayAnswer(message.chatId, message.sender.openId)) {
    log.info("ignored: chat or user not allowed for this bot");
    return;
  }
  const botOpenId = await bot.botOpenId();
  if (message.chatType === "group" && bot.groupTrigger === "mention") {
    if (!mentionsBot(message, botOpenId)) {
      log.debug("ignored: group message without a mention of this bot");
      return;
    }
  }

  const target: ReplyTarget = {
    botId: bot.id,
    chatId: message.chatId,
    messageId: message.messageId,
    inThread: Boolean(message.threadId),
    idempotencyKey: answerKey({ messageId: message.messageId, attempt: run.attempt }),
  };

  // Where the bot reads every message of a group, a notice for each sticker or picture it
  // cannot use would be noise; elsewhere the person asked the bot and deserves to know.
  const explain = message.chatType === "p2p" || bot.groupTrigger === "mention";
  const say = translator(bot.language);
  if (message.unsupported) {
    if (explain) await bot.replier.notice(target, say("notice.unsupported"));
    else log.debug({ messageType: message.messageType }, "ignored: message type not readable");
    return;
  }
  // A voice message becomes the words heard, answered as a question (never as a command: a
  // transcript's punctuation and homophones would make commands fire by accident).
  const voice = audioOf(message.attachments);
  let heard: string | undefined;
  if (voice) {
    if (!bot.voice && !explain) {
      log.debug("ignored: voice message, and voice is off for this bot");
      return;
    }
    const result = await hearVoice(bot, { messageId: message.messageId, ...voice }, say, log);
    if ("notice" in result) {
      await bot.replier.notice(target, result.notice);
      return;
    }
    heard = result.text;
  }
  const text = heard ?? messageText(message, botOpenId);
  const imageKeys = imageKeysOf(message.attachments);
  if (!text && imageKeys.length === 0) {
    log.debug("ignored: empty message after removing the mention");
    return;
  }
  const app = bot.appFor(message.chatId);
  const spoken = heard !== undefined;
  const command = imageKeys.length === 0 && !spoken ? parseCommand(text, bot.commands) : undefined;
  const drawn =
    !spoken &&
    (await handlePictureMessage(
      {
        bot,
        app,
        target,
        conversationKey,
        senderOpenId: message.sender.openId,
        messageId: message.messageId,
        text,
        imageKeys,
        command,
      },
      { store: deps.store, running: deps.running, logger: log },
    ));
  if (drawn) return;
  if (command) {
    await runCommand(command, {
      bot,
      app,
      target,
      conversationKey,
      senderOpenId: message.sender.openId,
      store: deps.store,
      logger: log,
    });
    return;
  }
  // Vision mode (`图片推理`): pictures on their own wait for the question that follows.
  const vision = available(bot, app).vision
    ? (await deps.store.getConversation(bot.id, conversationKey)).settings
    : undefined;
  const visionMode = vision?.[SETTING.visionMode] === "on";
  if (visionMode && !text && imageKeys.length > 0) {
    const pictures = imagesIn(message.messageId, imageKeys);
    const count = await holdPictures(deps.store, bot.id, conversationKey, pictures);
    await bot.replier.notice(target, say("vision.got_it", { count }));
    return;
  }
  const held =
    visionMode && vision ? await takeHeldPictures(deps.store, bot.id, conversationKey, vision) : [];
  const quote = await readQuote(bot, message, log);
  // A picture someone posted, and a question replying to it: the usual way to ask about an
  // image in a group, where an image message cannot @mention the bot.
  const sources = app.vision
    ? [...held, ...quote.images, ...imagesIn(message.messageId, imageKeys)]
    : [];
  const pictures = await picturesFor(bot, app.backend, sources, log);
  const pictureCount = pictures.images.length + pictures.imageUrls.length;
  if (!text && pictureCount === 0) {
    // Only pictures, and none the model can see.
    log.info({ vision: app.vision }, "image not answered");
    if (explain) {
      await bot.replier.notice(
        target,
        say(app.vision ? "notice.image_unreadable" : "notice.text_only"),
      );
    }
    return;
  }
  // Reading the quote, downloading pictures and hearing a voice message take seconds: long
  // enough for a recall.
  if ((quote.block || pictureCount > 0 || spoken) && (await recalled())) return;
  const marks = [
    held.length > 0 && !quote.block ? IMAGE_PLACEHOLDER : "",
    spoken ? VOICE_PLACEHOLDER : "",
  ]
    .filter(Boolean)
    .join(" ");
  await runTurn(
    {
      bot,
      app,
      conversationKey,
      target,
      run,
      senderOpenId: message.sender.openId,
      // Under a quote, a picture on its own still shows as the new message's part.
      question: quote.block ? `${quote.block}\n\n${text || IMAGE_PLACEHOLDER}` : text,
      ...(marks
        ? {
            recordedQuestion: quote.block
              ? `${quote.block}\n\n${marks} ${text}`
              : `${marks} ${text}`,
          }
        : {}),
      ...picturesInput(pictures),
      ...(spoken ? { heard: text } : {}),
    },
    deps,
  );
}

/** A quoted message longer than this is cut: it is context, not the question. */
const MAX_QUOTE_CHARS = 2_000;

/**
 * The message a question replies to, quoted (`> ` lines) for the text above the question, with
 * its pictures, so "what does this mean?" under a colleague's message or screenshot reaches the
 * model with it. Not in topics: there every message replies to the thread, whose history is the
 * context already.
 */
async function readQuote(
  bot: BotRuntime,
  message: InboundMessage,
  log: Logger,
): Promise<{ block?: string; images: ImageSource[] }> {
  if (!message.parentId || message.threadId) return { images: [] };
  let parent: ReadBackMessage | undefined;
  try {
    parent = await bot.readMessage(message.parentId);
  } catch (error) {
    // A missing scope or a recalled message: answer the question on its own.
    log.info(
      { err: { message: error instanceof Error ? error.message : String(error) } },
      "quoted message not readable; answering without it",
    );
    return { images: [] };
  }
  const parentImages = imageKeysOf(parent?.attachments);
  const quoted = parent?.text ?? (parentImages.length > 0 ? IMAGE_PLACEHOLDER : undefined);
  if (!parent || !quoted) return { images: [] };
  const clipped = quoted.length > MAX_QUOTE_CHARS ? `${quoted.slice(0, MAX_QUOTE_CHARS)}…` : quoted;
  const block = clipped
    .split("\n")
    .map((line) => `> ${line}`)
    .join("\n");
  return { block, images: imagesIn(message.parentId, parentImages) };
}
