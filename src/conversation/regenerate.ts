import type { Logger } from "pino";
import type { Backend } from "../backends/backend.js";
import type { JobRun } from "../intake/job-run.js";
import { isThreadConversation } from "../messages/conversation-key.js";
import {
  filesOf,
  IMAGE_PLACEHOLDER,
  imageKeysOf,
  VOICE_PLACEHOLDER,
} from "../messages/inbound-message.js";
import { answerKey } from "./answer-key.js";
import type { AppRuntime, BotRuntime } from "./bot-runtime.js";
import { type FileSource, type Files, filesFor, filesIn } from "./files-for.js";
import {
  type ImageSource,
  imagesIn,
  type Pictures,
  picturesFor,
  picturesInput,
} from "./pictures-for.js";
import { wasRecalled } from "./recall-question.js";
import { runTurn, type TurnDeps } from "./run-turn.js";

/**
 * Regenerate: answer the same question again in a new card, and take the old answer out of
 * the history so the model never sees both.
 */
export async function regenerateAnswer(
  bot: BotRuntime,
  run: JobRun,
  conversationKey: string,
  messageId: string,
  deps: TurnDeps,
): Promise<void> {
  if (await wasRecalled(deps.store, bot.id, messageId)) {
    deps.logger.info("regenerate: the question was recalled; nothing to answer");
    return;
  }
  const exchanges = await deps.store.listExchanges({ botId: bot.id, conversationKey, limit: 500 });
  const earlier = exchanges.filter((e) => e.messageId === messageId);
  const last = earlier.at(-1);
  if (!last) {
    deps.logger.warn("regenerate: no exchange for that message");
    return;
  }
  for (const exchange of earlier)
    if (exchange.inHistory) await deps.store.supersedeExchange(exchange.id);
  const app = bot.appFor(last.chatId);
  // The chat log keeps a question's text only; its pictures are fetched from Lark again.
  const pictures =
    app.vision && last.question.includes(IMAGE_PLACEHOLDER)
      ? await picturesAgain(bot, app.backend, messageId, deps.logger)
      : { images: [], imageUrls: [] };
  const some = pictures.images.length + pictures.imageUrls.length > 0;
  // Files too: read again from Lark (the question's, the quoted message's, those it took
  // after they waited), so the model reads what it read the first time.
  const files = last.question.includes("[file: ")
    ? await filesAgain(bot, app, messageId, deps)
    : undefined;
  const spoken = spokenQuestion(last.question);
  await runTurn(
    {
      bot,
      app,
      conversationKey,
      run,
      senderOpenId: last.senderOpenId,
      question: files?.text
        ? `${files.text}\n\n${last.question}`
        : some && last.question === IMAGE_PLACEHOLDER
          ? ""
          : last.question,
      ...(files?.text ? { recordedQuestion: last.question } : {}),
      ...(files && files.fileUrls.length > 0 ? { fileUrls: files.fileUrls } : {}),
      ...(files && files.inputs.length > 0 ? { files: files.inputs } : {}),
      ...picturesInput(pictures),
      // A voice question is asked again in the words heard the first time, not heard again.
      ...(spoken ? { ...spoken, recordedQuestion: last.question } : {}),
      target: {
        botId: bot.id,
        chatId: last.chatId,
        messageId,
        inThread: isThreadConversation(conversationKey),
        // One new card per regeneration, stable if this job runs again after a crash.
        idempotencyKey: answerKey({
          messageId,
          attempt: run.attempt,
          regeneration: earlier.length,
        }),
      },
    },
    deps,
  );
}

/** The files of a question (its own, its quote's, and those it took), read back. */
async function filesAgain(
  bot: BotRuntime,
  app: AppRuntime,
  messageId: string,
  deps: TurnDeps,
): Promise<Files> {
  const sources: FileSource[] = await deps.store.filesTakenBy(bot.id, messageId);
  try {
    const question = await bot.readMessage(messageId);
    if (question?.parentId && !question.inThread) {
      const parent = await bot.readMessage(question.parentId);
      sources.push(...filesIn(question.parentId, filesOf(parent?.attachments)));
    }
    sources.push(...filesIn(messageId, filesOf(question?.attachments)));
  } catch (error) {
    deps.logger.warn(
      { err: { message: error instanceof Error ? error.message : String(error) } },
      "regenerate: the question's files could not be read again",
    );
  }
  return filesFor(bot, app, sources, deps.logger);
}

/** The pictures of a question and of the message it quoted, read back from Lark. */
async function picturesAgain(
  bot: BotRuntime,
  backend: Backend,
  messageId: string,
  log: Logger,
): Promise<Pictures> {
  const sources: ImageSource[] = [];
  try {
    const question = await bot.readMessage(messageId);
    if (question?.parentId && !question.inThread) {
      const parent = await bot.readMessage(question.parentId);
      sources.push(...imagesIn(question.parentId, imageKeysOf(parent?.attachments)));
    }
    sources.push(...imagesIn(messageId, imageKeysOf(question?.attachments)));
  } catch (error) {
    log.warn(
      { err: { message: error instanceof Error ? error.message : String(error) } },
      "regenerate: the question's images could not be read again; answering its text",
    );
    return { images: [], imageUrls: [] };
  }
  return picturesFor(bot, backend, sources, log);
}

/**
 * A recorded voice question (`[voice] words`; after `[image] ` or a quote when it had them) as
 * the model got it the first time, and the words heard. A typed question that merely contains
 * "[voice]" is not one.
 */
function spokenQuestion(recorded: string): { question: string; heard: string } | undefined {
  const mark = `${VOICE_PLACEHOLDER} `;
  const at = recorded.indexOf(mark);
  if (at < 0) return undefined;
  const before = recorded.slice(0, at);
  const quoted = before.startsWith("> ") && before.endsWith("\n\n");
  if (before !== "" && before !== `${IMAGE_PLACEHOLDER} ` && !quoted) return undefined;
  const heard = recorded.slice(at + mark.length);
  return { question: quoted ? `${before}${heard}` : heard, heard };
}
