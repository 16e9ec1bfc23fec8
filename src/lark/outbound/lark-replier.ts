import type { Logger } from "pino";
import type { AnswerContext, AnswerSink, Replier, ReplyTarget } from "../../conversation/ports.js";
import { type Language, translator } from "../../i18n/translate.js";
import { DeliveryNotRecordedError } from "../../intake/job-run.js";
import type { AnswerFinal, AnswerSnapshot } from "../../messages/answer.js";
import type { InfoCard } from "../../messages/info-card.js";
import { loadPicture } from "../../net/load-picture.js";
import { heardLine } from "./answer-card.js";
import { sendAnswerFiles } from "./answer-files.js";
import { createAnswerPictures } from "./answer-pictures.js";
import { sendFinalAnswer } from "./final-answer.js";
import { infoCardJson } from "./info-card-json.js";
import type { LarkApi } from "./lark-api.js";
import { LarkApiError } from "./lark-api-error.js";
import { createLiveAnswer, type LiveAnswer } from "./live-answer-sink.js";
import {
  type CardDelivery,
  cardKitTransport,
  type LiveCardTransport,
  markInterrupted,
  patchTransport,
} from "./live-card.js";
import {
  commandCardUuid,
  keyedCardUuid,
  noticeUuid,
  pictureCardUuid,
  welcomeUuid,
} from "./request-uuid.js";
import { createTypingIndicator } from "./typing-indicator.js";

/** How answers are shown, best first. Each bot remembers how far it had to fall back. */
export type DeliveryMode = "cardkit" | "patch" | "final";

export interface LarkReplierOptions {
  api: LarkApi;
  logger: Logger;
  /** Footer with model and elapsed time under each answer. */
  footer?: boolean;
  /** Where to start; `final` turns streaming off. */
  mode?: DeliveryMode;
  /** The bot's language for the card's own words (buttons, "stopped"…); default English. */
  language?: Language;
  /** How pictures and files in answers are fetched (see net/guarded-fetch.ts). */
  answerFetch?: AnswerFetchOptions;
}

export interface AnswerFetchOptions {
  /** This machine's addresses may be fetched: tests only (the config refuses it otherwise). */
  allowLoopback?: boolean;
  /** Default ANSWER_PICTURE_TIMEOUT_MS. */
  timeoutMs?: number;
}

/** Lark takes images up to 10 MB (upload-image API docs); a larger one is not fetched. */
const ANSWER_PICTURE_MAX_BYTES = 10 * 1024 * 1024;
/** A picture that takes longer delays the final card; it stays a link instead. */
const ANSWER_PICTURE_TIMEOUT_MS = 15_000;

const TRANSPORTS: Record<Exclude<DeliveryMode, "final">, LiveCardTransport> = {
  cardkit: cardKitTransport,
  patch: patchTransport,
};

/** Errors that say this way of showing answers will not work for this app, now or later. */
function rulesOutMode(error: unknown): boolean {
  return (
    error instanceof LarkApiError &&
    (error.kind === "missing_scope" || error.kind === "bad_request")
  );
}

/**
 * Delivers answers to Lark with the Reply API on the user's message, so answers stay in the
 * user's topic (`reply_in_thread` when the question was in one). Streams through CardKit,
 * falls back to PATCHed cards, then to one final message; a fallback caused by a missing
 * scope or a refused card is remembered for the bot, so later answers go straight there.
 */
export function createLarkReplier(
  options: LarkReplierOptions,
): Replier & { readonly mode: DeliveryMode } {
  const { api, logger } = options;
  const footer = options.footer ?? true;
  const t = translator(options.language ?? "en");
  let mode: DeliveryMode = options.mode ?? "cardkit";

  function downgrade(from: DeliveryMode, error: unknown): void {
    if (mode !== from) return;
    mode = from === "cardkit" ? "patch" : "final";
    // The message names the call and Lark's own words, which say what to fix in the console.
    const lark =
      error instanceof LarkApiError
        ? { kind: error.kind, code: error.code, reason: error.message }
        : {};
    logger.warn({ from, to: mode, ...lark }, "answer delivery falls back");
  }

  return {
    get mode() {
      return mode;
    },

    async notice(target: ReplyTarget, text: string): Promise<void> {
      await api.reply(target.messageId, {
        msgType: "text",
        content: { text },
        replyInThread: target.inThread,
        uuid: noticeUuid(target.messageId),
      });
    },

    async sendCard(chatId: string, card: InfoCard, key: string): Promise<void> {
      await api.send(chatId, {
        msgType: "interactive",
        content: infoCardJson(card),
        uuid: welcomeUuid(key),
      });
    },

    async card(target: ReplyTarget, card: InfoCard, key?: string): Promise<void> {
      await api.reply(target.messageId, {
        msgType: "interactive",
        content: infoCardJson(card),
        replyInThread: target.inThread,
        uuid: key ? keyedCardUuid(key) : commandCardUuid(target.messageId),
      });
    },

    async picture(target, make, cardFor): Promise<void> {
      // Drawing takes 10–60 s: the typing reaction says the bot is on it.
      const typing = createTypingIndicator(api, target.messageId, logger);
      typing.show();
      try {
        const picture = await make();
        const imageKey = await api.uploadImage(picture.data, picture.mimeType);
        await api.reply(target.messageId, {
          msgType: "interactive",
          content: infoCardJson(cardFor(imageKey, picture)),
          replyInThread: target.inThread,
          uuid: pictureCardUuid(target.idempotencyKey),
        });
      } finally {
        await typing.clear();
      }
    },

    openAnswer(target: ReplyTarget, context: AnswerContext): AnswerSink {
      const typing = createTypingIndicator(api, target.messageId, logger);
      let live: LiveAnswer | undefined;
      let liveMode: DeliveryMode = "final";
      const fetchOptions = {
        timeoutMs: options.answerFetch?.timeoutMs ?? ANSWER_PICTURE_TIMEOUT_MS,
        ...(options.answerFetch?.allowLoopback ? { allowLoopback: true } : {}),
        ...(context.pictureHosts ? { allowHosts: context.pictureHosts } : {}),
      };
      // Pictures in the answer are fetched and uploaded as soon as their link is complete,
      // while the rest streams; the card shows a placeholder until each is in.
      const pictures = createAnswerPictures({
        load: (href) => loadPicture(href, { ...fetchOptions, maxBytes: ANSWER_PICTURE_MAX_BYTES }),
        upload: (data, mimeType) => api.uploadImage(data, mimeType),
        logger,
        onChange: () => live?.refresh(),
      });
      const pictured = <S extends AnswerSnapshot>(snapshot: S): S => {
        const text = pictures.shorten(snapshot.text);
        pictures.see(text, { final: "status" in snapshot });
        return text === snapshot.text ? snapshot : { ...snapshot, text };
      };
      // A voice question's words lead the answer in every form it takes (streamed, final,
      // rolled over), so they are part of the text the card is made from.
      const heard = context.heard ? `${heardLine(context.heard)}\n\n` : "";
      const shown = <S extends AnswerSnapshot>(snapshot: S): S =>
        pictured(heard ? { ...snapshot, text: heard + snapshot.text } : snapshot);
      // Text the model sent while the card was still opening; shown as soon as it is open. The
      // words heard are shown at once, while the model thinks.
      let early: AnswerSnapshot | undefined = heard
        ? shown({ text: "", reasoning: "" })
        : undefined;

      return {
        async start() {
          typing.show();
          const previous = context.run.previousDelivery as CardDelivery | undefined;
          if (previous?.messageId || previous?.cardId) {
            await markInterrupted(api, previous, t).then(
              () =>
                logger.info(
                  { attempt: context.run.attempt },
                  "abandoned answer card marked interrupted",
                ),
              (error) =>
                logger.warn({ err: (error as Error).message }, "could not mark the abandoned card"),
            );
          }
          while (mode !== "final") {
            const tried = mode;
            const candidate = createLiveAnswer({
              api,
              transport: TRANSPORTS[tried],
              target,
              conversationKey: context.conversationKey,
              footer,
              t,
              logger,
              onBroken: (error) => {
                if (rulesOutMode(error)) downgrade(tried, error);
              },
              // The first card is the one a take-over must find (recorded before it shows);
              // later records add what is known once it shows (its message id, follow-ups).
              onCardOpened: (card) =>
                void context.run.recordDelivery(card.delivery).catch(() => {}),
              beforeFirstShown: (delivery) => context.run.recordDelivery(delivery),
              pictures,
            });
            try {
              await candidate.open();
              live = candidate;
              liveMode = tried;
              if (early) live.update(early);
              return;
            } catch (error) {
              if (error instanceof DeliveryNotRecordedError) {
                // Nothing shows: the job runs again once the store is back (job-run.ts).
                await typing.clear();
                throw error;
              }
              if (!rulesOutMode(error)) {
                // A passing failure (network, 5xx): this answer goes out at the end instead.
                logger.warn(
                  { err: (error as Error).message, mode: tried },
                  "live answer unavailable",
                );
                return;
              }
              downgrade(tried, error);
            }
          }
        },

        update(snapshot: AnswerSnapshot) {
          if (live) live.update(shown(snapshot));
          else early = shown(snapshot);
        },

        async finish(answer: AnswerFinal) {
          const final = shown(answer);
          const sendFiles = () =>
            sendAnswerFiles(api, target, final.files ?? [], { ...fetchOptions, logger });
          try {
            if (live && !live.broken) {
              try {
                await live.finish(final);
                await sendFiles();
                return { messageId: live.firstMessageId };
              } catch (error) {
                if (rulesOutMode(error)) downgrade(liveMode, error);
                logger.warn(
                  { err: (error as Error).message },
                  "live card could not be finalized; sending the answer as a new message",
                );
              }
            }
            await pictures.settled();
            const messageId = await sendFinalAnswer(api, target, final, {
              footer,
              conversationKey: context.conversationKey,
              toolbar: true,
              t,
              pictures: pictures.lookup,
            });
            await sendFiles();
            return { messageId: messageId ?? live?.firstMessageId };
          } finally {
            await typing.clear();
          }
        },
      };
    },
  };
}
