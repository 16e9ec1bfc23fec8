import {
  fastGptPauseMessage,
  type PauseAnswer,
  pauseAnswerText,
  type WorkflowPause,
} from "../../backends/workflow-pause.js";
import { type JobKind, PayloadError } from "../../intake/job-kind.js";
import { isThreadConversation } from "../../messages/conversation-key.js";
import { isRecord } from "../../messages/is-record.js";
import { answerKey } from "../answer-key.js";
import { runTurn } from "../run-turn.js";
import { botForJob, type ConversationJobDeps } from "./job-deps.js";

/** A pause card answered: the workflow goes on with the user's choice or form. */
export interface PausePayload {
  pauseId: string;
  answer: PauseAnswer;
}

export const PAUSE_JOB = "workflow_pause";

/** The dedup key that lets one answer through per pause, across presses and replicas. */
export function pauseKey(botId: string, pauseId: string): string {
  return `pause:${botId}:${pauseId}`;
}

export function pauseJob(deps: ConversationJobDeps): JobKind<PausePayload> {
  return {
    kind: PAUSE_JOB,
    parse(payload) {
      if (!isRecord(payload) || typeof payload.pauseId !== "string" || !isAnswer(payload.answer)) {
        throw new PayloadError("a workflow_pause job needs payload.pauseId and payload.answer");
      }
      return { pauseId: payload.pauseId, answer: payload.answer };
    },
    async run({ pauseId, answer }, { job, run, logger }) {
      const bot = botForJob(deps, job.botId, logger);
      if (!bot) return;
      const log = logger.child({ pause: pauseId });
      const pause = await deps.store.getPause(job.botId, pauseId);
      if (!pause) {
        log.warn("the answered pause is gone (pruned?); nothing to continue");
        return;
      }
      const spec = pause.spec as WorkflowPause;
      await runTurn(
        {
          bot,
          app: bot.appFor(pause.chatId),
          conversationKey: pause.conversationKey,
          run,
          senderOpenId: pause.ownerOpenId,
          question: fastGptPauseMessage(answer),
          recordedQuestion: pauseAnswerText(spec, answer),
          target: {
            botId: bot.id,
            chatId: pause.chatId,
            messageId: pause.messageId,
            inThread: isThreadConversation(pause.conversationKey),
            idempotencyKey: answerKey({
              messageId: pause.messageId,
              attempt: run.attempt,
              press: job.id,
            }),
          },
        },
        {
          store: deps.store,
          running: deps.running,
          logger: log,
          ...(deps.observe ? { observe: deps.observe } : {}),
        },
      );
    },
  };
}

function isAnswer(value: unknown): value is PauseAnswer {
  if (!isRecord(value)) return false;
  if (value.kind === "select") return typeof value.option === "string";
  return value.kind === "form" && isRecord(value.values);
}
