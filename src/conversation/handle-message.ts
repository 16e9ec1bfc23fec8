import type { Logger } from "pino";
import { translator } from "../i18n/translate.js";
import type { JobRun } from "../intake/job-run.js";
import {
  audioOf,
  filePlaceholder,
  filesOf,
  forwardOf,
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
import { type FileSource, type Files, filesFor, filesIn } from "./files-for.js";
import { holdFiles, takeHeldFiles } from "./files-pending.js";
import { forwardBlock, MAX_FORWARD_CHARS } from "./forward-block.js";
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
  /** The clock the age is judged by (ConversationJobDeps.now); default: the machine's. */
  now?: () => number;
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
  const ageMs = (deps.now ?? Date.now)() - Number(message.createTime);
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
  if (message.messageType === "sticker") {
    // A sticker is a reaction, not a question: a light word back in p2p, silence in groups.
    if (message.chatType === "p2p") await bot.replier.notice(target, say("notice.sticker"));
    else log.debug("ignored: sticker in a group");
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
  const ownFiles = filesIn(message.messageId, filesOf(message.attachments));
  const forwardId = forwardOf(message.attachments);
  if (!text && imageKeys.length === 0 && ownFiles.length === 0 && !forwardId) {
    log.debug("ignored: empty message after removing the mention");
    return;
  }
  const app = bot.appFor(message.chatId);
  const spoken = heard !== undefined;
  // Only what a person typed can be a command or a picture request.
  const typed = imageKeys.length === 0 && ownFiles.length === 0 && !forwardId && !spoken;
  const command = typed ? parseCommand(text, bot.commands) : undefined;
  if (!text && ownFiles.length > 0 && !message.parentId) {
    // A file with no question: in p2p it waits for the next one; in a group (read in full,
    // since a file cannot @mention) people reply to the file and mention the bot instead.
    if (message.chatType !== "p2p") {
      log.debug("ignored: file without a question in a group");
      return;
    }
    await holdFiles(deps.store, bot.id, conversationKey, ownFiles);
    const names = ownFiles.map((file) => file.name).join(", ");
    await bot.replier.notice(target, say("file.got_it", { names }));
    return;
  }
  // Picture mode also takes a picture the user sends (to vary it), not a file or a forward.
  const drawn =
    !spoken &&
    ownFiles.length === 0 &&
    !forwardId &&
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
  const heldFiles = text
    ? await takeHeldFiles(deps.store, bot.id, conversationKey, message.messageId)
    : [];
  // A file that waited and is also quoted goes once.
  const fileSources: FileSource[] = [...heldFiles, ...quote.files, ...ownFiles].filter(
    (file, i, all) =>
      all.findIndex((f) => f.messageId === file.messageId && f.key === file.key) === i,
  );
  const files = await filesFor(bot, app, fileSources, log);
  if (fileSources.length > 0 && files.sent === 0) {
    // Nothing of the files reached the app: an answer now would be made up.
    await bot.replier.notice(target, fileNotice(files, say));
    return;
  }
  let forwarded = "";
  if (forwardId) {
    try {
      forwarded = forwardBlock(await bot.readForward(forwardId));
    } catch (error) {
      log.warn(
        { err: { message: error instanceof Error ? error.message : String(error) } },
        "forwarded chat not readable",
      );
      await bot.replier.notice(target, say("forward.unreadable"));
      return;
    }
  }
  const hasFiles = files.sent > 0;
  if (!text && pictureCount === 0 && !hasFiles && !forwarded) {
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
  if ((quote.block || pictureCount > 0 || spoken || hasFiles || forwarded) && (await recalled())) {
    return;
  }
  const marks = [
    held.length > 0 && !quote.block ? IMAGE_PLACEHOLDER : "",
    spoken ? VOICE_PLACEHOLDER : "",
    // The history keeps a file's name, not its content (quoted ones show in the quote).
    ...[...heldFiles, ...ownFiles].map((file) => filePlaceholder(file.name)),
  ]
    .filter(Boolean)
    .join(" ");
  const asked = [forwarded, files.text, text].filter(Boolean).join("\n\n");
  const recorded = [forwarded, [marks, text].filter(Boolean).join(" ")]
    .filter(Boolean)
    .join("\n\n");
  await runTurn(
    {
      bot,
      app,
      conversationKey,
      target,
      run,
      senderOpenId: message.sender.openId,
      // Under a quote, a picture on its own still shows as the new message's part.
      question: quote.block ? `${quote.block}\n\n${asked || IMAGE_PLACEHOLDER}` : asked,
      ...(marks || files.text
        ? { recordedQuestion: quote.block ? `${quote.block}\n\n${recorded}` : recorded }
        : {}),
      ...picturesInput(pictures),
      ...(files.fileUrls.length > 0 ? { fileUrls: files.fileUrls } : {}),
      ...(files.inputs.length > 0 ? { files: files.inputs } : {}),
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
): Promise<{ block?: string; images: ImageSource[]; files: FileSource[] }> {
  const none = { images: [], files: [] };
  if (!message.parentId || message.threadId) return none;
  let parent: ReadBackMessage | undefined;
  try {
    parent = await bot.readMessage(message.parentId);
  } catch (error) {
    // A missing scope or a recalled message: answer the question on its own.
    log.info(
      { err: { message: error instanceof Error ? error.message : String(error) } },
      "quoted message not readable; answering without it",
    );
    return none;
  }
  const parentImages = imageKeysOf(parent?.attachments);
  const parentFiles = filesIn(message.parentId, filesOf(parent?.attachments));
  const parentForward = forwardOf(parent?.attachments);
  let quoted =
    parent?.text ??
    (parentFiles.length > 0
      ? parentFiles.map((file) => filePlaceholder(file.name)).join(" ")
      : parentImages.length > 0
        ? IMAGE_PLACEHOLDER
        : undefined);
  let limit = MAX_QUOTE_CHARS;
  if (parentForward) {
    try {
      quoted = forwardBlock(await bot.readForward(parentForward));
      limit = MAX_FORWARD_CHARS + 200;
    } catch (error) {
      log.info(
        { err: { message: error instanceof Error ? error.message : String(error) } },
        "quoted forwarded chat not readable; answering without it",
      );
    }
  }
  if (!parent || !quoted) return none;
  const clipped = quoted.length > limit ? `${quoted.slice(0, limit)}…` : quoted;
  const block = clipped
    .split("\n")
    .map((line) => `> ${line}`)
    .join("\n");
  return { block, images: imagesIn(message.parentId, parentImages), files: parentFiles };
}

/** What the person hears when none of their files reached the app, file by file. */
function fileNotice(files: Files, say: ReturnType<typeof translator>): string {
  return files.problems
    .map(({ name, problem }) =>
      say("file.unreadable", { name, reason: say(`file.reason.${problem}`) }),
    )
    .join("\n");
}
