import { type JobKind, PayloadError } from "../../intake/job-kind.js";
import { isRecord } from "../../messages/is-record.js";
import { decodeToolbarValue } from "../../messages/toolbar-action.js";
import { regenerateAnswer } from "../regenerate.js";
import { botForJob, type ConversationJobDeps } from "./job-deps.js";

/** A Regenerate press: the question of `messageId` answered again in a new card. */
export interface RegeneratePayload {
  messageId: string;
}

export const REGENERATE_JOB = "regenerate";

export function regenerateJob(deps: ConversationJobDeps): JobKind<RegeneratePayload> {
  return {
    kind: REGENERATE_JOB,
    parse(payload) {
      if (!isRecord(payload) || typeof payload.messageId !== "string" || !payload.messageId) {
        throw new PayloadError("a regenerate job needs payload.messageId");
      }
      return { messageId: payload.messageId };
    },
    async run({ messageId }, { job, run, logger }) {
      const bot = botForJob(deps, job.botId, logger);
      if (!bot) return;
      await regenerateAnswer(bot, run, job.conversationKey, messageId, {
        store: deps.store,
        running: deps.running,
        logger: logger.child({ messageId, action: "regenerate" }),
        ...(deps.observe ? { observe: deps.observe } : {}),
      });
    },
  };
}

/**
 * Regenerate jobs queued before the `regenerate` kind existed: the whole card action was the
 * payload, the toolbar value inside it. Kept so a job waiting across the upgrade still runs.
 */
export function legacyCardActionJob(deps: ConversationJobDeps): JobKind<RegeneratePayload> {
  const current = regenerateJob(deps);
  return {
    kind: "card_action",
    parse(payload) {
      const value = isRecord(payload) && isRecord(payload.value) ? payload.value : {};
      const action = decodeToolbarValue(value);
      if (action?.action !== "regenerate") {
        throw new PayloadError("a card_action job whose value is not a Regenerate press");
      }
      return { messageId: action.messageId };
    },
    run: current.run,
  };
}
