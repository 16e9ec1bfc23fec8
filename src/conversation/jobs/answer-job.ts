import { MESSAGE_JOB } from "../../intake/intake.js";
import type { JobKind } from "../../intake/job-kind.js";
import type { InboundMessage } from "../../messages/inbound-message.js";
import { parseInboundMessage } from "../../messages/parse-inbound-message.js";
import { handleMessage } from "../handle-message.js";
import { botForJob, type ConversationJobDeps } from "./job-deps.js";

/** A received message: policy, commands, then an answer (`handleMessage`). */
export function answerJob(deps: ConversationJobDeps): JobKind<InboundMessage> {
  return {
    kind: MESSAGE_JOB,
    parse: parseInboundMessage,
    async run(message, { job, run, logger }) {
      const bot = botForJob(deps, job.botId, logger);
      if (!bot) return;
      await handleMessage(bot, run, job.conversationKey, message, {
        store: deps.store,
        running: deps.running,
        logger: logger.child({ messageId: message.messageId }),
        staleAfterMs: deps.staleAfterMs(),
        ...(deps.now ? { now: deps.now } : {}),
        ...(deps.observe ? { observe: deps.observe } : {}),
      });
    },
  };
}
