import type { Logger } from "pino";
import type {
  AnswerContext,
  AnswerFinal,
  AnswerSink,
  Replier,
  ReplyTarget,
} from "../../conversation/ports.js";
import { buildAnswerCard } from "./answer-card.js";
import type { LarkApi } from "./lark-api.js";
import { createTypingIndicator } from "./typing-indicator.js";

export interface LarkReplierOptions {
  api: LarkApi;
  logger: Logger;
  /** Footer with model and elapsed time under each answer. */
  footer?: boolean;
}

/**
 * Delivers answers to Lark with the Reply API on the user's message, so answers stay in the
 * user's topic (`reply_in_thread` when the question was in one).
 */
export function createLarkReplier(options: LarkReplierOptions): Replier {
  const { api, logger } = options;
  const footer = options.footer ?? true;

  return {
    async notice(target: ReplyTarget, text: string): Promise<void> {
      await api.reply(target.messageId, {
        msgType: "text",
        content: { text },
        replyInThread: target.inThread,
        uuid: `n-${target.messageId}`.slice(0, 50),
      });
    },

    openAnswer(target: ReplyTarget, _context: AnswerContext): AnswerSink {
      const typing = createTypingIndicator(api, target.messageId, logger);
      return {
        async start() {
          typing.show();
        },
        update() {
          // This sink shows the whole answer at once, when it is finished.
        },
        async finish(final: AnswerFinal) {
          try {
            const card = buildAnswerCard(final, { footer });
            const sent = await api.reply(target.messageId, {
              msgType: "interactive",
              content: card,
              replyInThread: target.inThread,
              uuid: target.idempotencyKey.slice(0, 50),
            });
            return { messageId: sent.messageId };
          } finally {
            await typing.clear();
          }
        },
      };
    },
  };
}
