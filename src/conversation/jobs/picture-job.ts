import { translator } from "../../i18n/translate.js";
import { type JobKind, PayloadError } from "../../intake/job-kind.js";
import { isThreadConversation } from "../../messages/conversation-key.js";
import { isRecord } from "../../messages/is-record.js";
import { answerKey } from "../answer-key.js";
import { makePicture } from "../make-picture.js";
import type { ReplyTarget } from "../ports.js";
import { botForJob, type ConversationJobDeps } from "./job-deps.js";

/** A press on a picture's "Draw again" or "Variation": another picture for the same message. */
export interface PicturePayload {
  /** The user's message the pictures answer. */
  messageId: string;
  chatId: string;
  /** Who pressed: the picture is theirs. */
  senderOpenId: string;
  prompt: string;
  /** The picture to vary (the channel's reference); absent: draw `prompt` again. */
  ref?: string;
}

export const PICTURE_JOB = "picture";

export function pictureJob(deps: ConversationJobDeps): JobKind<PicturePayload> {
  return {
    kind: PICTURE_JOB,
    parse(payload) {
      const fields = ["messageId", "chatId", "senderOpenId", "prompt"] as const;
      if (!isRecord(payload) || fields.some((f) => typeof payload[f] !== "string" || !payload[f])) {
        throw new PayloadError(`a picture job needs payload.${fields.join(", ")}`);
      }
      const ref = typeof payload.ref === "string" && payload.ref ? { ref: payload.ref } : {};
      return {
        messageId: payload.messageId as string,
        chatId: payload.chatId as string,
        senderOpenId: payload.senderOpenId as string,
        prompt: payload.prompt as string,
        ...ref,
      };
    },
    async run(payload, { job, run, logger }) {
      const bot = botForJob(deps, job.botId, logger);
      if (!bot) return;
      const log = logger.child({ messageId: payload.messageId, action: "picture" });
      const app = bot.appFor(payload.chatId);
      const target: ReplyTarget = {
        botId: bot.id,
        chatId: payload.chatId,
        messageId: payload.messageId,
        inThread: isThreadConversation(job.conversationKey),
        idempotencyKey: answerKey({
          messageId: payload.messageId,
          attempt: run.attempt,
          press: job.id,
        }),
      };
      const pictures = app.pictures;
      if (!pictures) {
        log.info("picture press, but the app makes no pictures any more");
        return;
      }
      let from: Awaited<ReturnType<typeof bot.sentPicture>> | undefined;
      if (payload.ref) {
        try {
          from = await bot.sentPicture(payload.ref);
        } catch (error) {
          log.warn({ err: { message: (error as Error).message } }, "the picture to vary is gone");
          await bot.replier.notice(target, translator(bot.language)("notice.image_unreadable"));
          return;
        }
      }
      await makePicture(
        {
          bot,
          app: { ...app, pictures },
          target,
          conversationKey: job.conversationKey,
          senderOpenId: payload.senderOpenId,
          prompt: payload.prompt,
          question: payload.prompt,
          ...(from ? { from } : {}),
        },
        { store: deps.store, running: deps.running, logger: log },
      );
    },
  };
}
