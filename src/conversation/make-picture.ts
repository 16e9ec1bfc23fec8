import type { Logger } from "pino";
import { BackendError } from "../backends/backend.js";
import type { Picture, PictureData, PictureMaker } from "../backends/picture-maker.js";
import { translator } from "../i18n/translate.js";
import type { Store } from "../store/store.js";
import type { AppRuntime, BotRuntime } from "./bot-runtime.js";
import { pictureCard, pictureShape, pictureStyle } from "./picture-cards.js";
import type { ReplyTarget } from "./ports.js";
import type { RunningAnswers } from "./running-answers.js";
import { turnFailure } from "./turn-failure.js";

/** Stands for a picture the bot made, in the chat log and the history. */
export const PICTURE_PLACEHOLDER = "[picture]";

export interface PictureTurn {
  bot: BotRuntime;
  app: AppRuntime & { pictures: PictureMaker };
  target: ReplyTarget;
  conversationKey: string;
  senderOpenId: string;
  /** What to draw (sent to the images API). */
  prompt: string;
  /** What the user asked, as the chat log and the card show it. */
  question: string;
  /** Draw a variation of this picture instead of a new one. */
  from?: PictureData;
}

/**
 * One picture for the user (`/picture`, picture mode, a card's "again" or "variation"): drawn
 * with the conversation's shape and style within the app's timeout, shown in a card, and
 * recorded in the chat log like an answer (the history keeps what was drawn, as text). A
 * failure gets the usual short notice with a reference id.
 */
export async function makePicture(
  turn: PictureTurn,
  deps: { store: Store; running: RunningAnswers; logger: Logger },
): Promise<void> {
  const { bot, app, target, conversationKey } = turn;
  const maker = app.pictures;
  const say = translator(bot.language);
  const log = deps.logger;
  const conversation = await deps.store.getConversation(bot.id, conversationKey);
  const style = pictureStyle(maker, conversation.settings);
  const request = {
    prompt: turn.prompt,
    shape: pictureShape(maker, conversation.settings),
    ...(style ? { style } : {}),
    user: turn.senderOpenId,
  };
  const controller = deps.running.begin(bot.id, target.messageId);
  const timeout = setTimeout(
    () => controller.abort(new BackendError("timeout", "the images API did not answer in time")),
    app.timeoutMs,
  );
  const started = Date.now();
  let made: Picture | undefined;
  let status: "done" | "stopped" | "error" = "done";
  let errorCode: string | undefined;
  try {
    await bot.replier.picture(
      target,
      async () => {
        const signal = controller.signal;
        made = turn.from
          ? await maker.vary(turn.from, { ...request, signal })
          : await maker.create({ ...request, signal });
        return made;
      },
      (ref, picture) =>
        pictureCard(
          {
            caption: turn.question,
            prompt: turn.prompt,
            ...(picture.revisedPrompt ? { revisedPrompt: picture.revisedPrompt } : {}),
            messageId: target.messageId,
            conversationKey,
          },
          ref,
          say,
        ),
    );
  } catch (error) {
    if (made) {
      // Drawn, but Lark would not take it: nothing more to tell the user than a notice would.
      status = "error";
      errorCode = "delivery_failed";
      log.warn({ err: { message: (error as Error).message } }, "picture could not be delivered");
    } else {
      const failure = turnFailure(error, controller.signal, say, "picture.failed");
      status = failure.status;
      if (failure.status === "error") {
        errorCode = failure.code;
        log.warn(
          {
            ref: failure.ref,
            code: failure.code,
            err: { message: (failure.cause as Error)?.message },
          },
          "picture failed",
        );
        await bot.replier.notice(target, failure.notice).catch(() => {});
      }
    }
  } finally {
    clearTimeout(timeout);
    deps.running.end(bot.id, target.messageId, controller);
  }
  const drawn = made?.revisedPrompt ?? turn.prompt;
  await deps.store.recordExchange({
    botId: bot.id,
    conversationKey,
    generation: conversation.generation,
    chatId: target.chatId,
    senderOpenId: turn.senderOpenId,
    messageId: target.messageId,
    question: turn.question,
    answer: status === "done" ? `${PICTURE_PLACEHOLDER} ${drawn}` : "",
    model: maker.model,
    latencyMs: Date.now() - started,
    error: errorCode ?? null,
    status,
  });
  log.info({ status, latencyMs: Date.now() - started, model: maker.model }, "picture made");
}
