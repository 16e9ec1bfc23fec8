import type { Logger } from "pino";
import type { PauseAnswer, WorkflowPause } from "../backends/workflow-pause.js";
import { pauseAnswerText } from "../backends/workflow-pause.js";
import type { Translate } from "../i18n/translate.js";
import { eventKey } from "../intake/dedup-keys.js";
import type { Intake } from "../intake/intake.js";
import type { CardAction, CardActionReply } from "../messages/card-action.js";
import type { Store } from "../store/store.js";
import { PAUSE_JOB, type PausePayload, pauseKey } from "./jobs/pause-job.js";
import { answeredPauseCard, formFieldName } from "./pause-cards.js";

export interface PausePressContext {
  store: Store;
  intake: Intake;
  say: Translate;
  logger: Logger;
  now?: () => number;
}

type PauseAction =
  | { action: "pause_pick"; param: string; ref: string }
  | { action: "pause_submit"; param: string };

function toast(
  type: NonNullable<CardActionReply["toast"]>["type"],
  content: string,
): CardActionReply {
  return { toast: { type, content } };
}

/**
 * A press on a workflow's pause card, answered on the ack path. The answer becomes a job under
 * a dedup key of the pause, written in the transaction that queues it: of two presses (a
 * double click, Lark pushing the press again, two replicas) exactly one continues the
 * workflow, and the others get a toast saying it was answered.
 */
export async function pressPause(
  botId: string,
  action: PauseAction,
  press: CardAction,
  ctx: PausePressContext,
): Promise<CardActionReply> {
  const { store, say } = ctx;
  const log = ctx.logger.child({ pause: action.param });
  const pause = await store.getPause(botId, action.param);
  if (!pause) return toast("info", say("toast.pause_expired"));
  if (press.operatorOpenId !== pause.ownerOpenId) {
    log.info("pause pressed by someone other than the asker; refused");
    return toast("info", say("toast.pause_not_yours"));
  }
  if (pause.status === "answered") return toast("info", say("toast.pause_answered"));
  const conversation = await store.getConversation(botId, pause.conversationKey);
  const now = (ctx.now ?? Date.now)();
  if (
    pause.status !== "pending" ||
    now >= pause.expiresAt ||
    conversation.generation !== pause.generation
  ) {
    return toast("info", say("toast.pause_expired"));
  }
  const spec = pause.spec as WorkflowPause;
  const read = readAnswer(spec, action, press, say);
  if ("problem" in read) return toast("warning", read.problem);

  const payload: PausePayload = { pauseId: pause.id, answer: read.answer };
  const outcome = await ctx.intake.enqueue(
    { botId, kind: PAUSE_JOB, conversationKey: pause.conversationKey, payload },
    [pauseKey(botId, pause.id), ...(press.eventId ? [eventKey(botId, press.eventId)] : [])],
  );
  if (outcome === "duplicate") {
    log.info("pause pressed again; already answered");
    return toast("info", say("toast.pause_answered"));
  }
  // The job is the answer; the row only tells later presses, once the dedup key is pruned.
  await store.answerPause(botId, pause.id, press.operatorOpenId);
  log.info({ kind: spec.kind }, "pause answered");
  return {
    ...toast("success", say("toast.pause_sent")),
    card: answeredPauseCard(spec, pauseAnswerText(spec, read.answer), say),
  };
}

/** The option pressed or the form's values, checked against the pause's own fields. */
function readAnswer(
  pause: WorkflowPause,
  action: PauseAction,
  press: CardAction,
  say: Translate,
): { answer: PauseAnswer } | { problem: string } {
  if (action.action === "pause_pick") {
    const option = pause.kind === "select" ? pause.options[Number(action.ref)] : undefined;
    if (!option) return { problem: say("toast.pause_choice") };
    return { answer: { kind: "select", option: option.label } };
  }
  if (pause.kind !== "form") return { problem: say("toast.pause_choice") };
  const form = press.formValue ?? {};
  const values: Record<string, string | number> = {};
  for (const [index, field] of pause.fields.entries()) {
    const raw = form[formFieldName(index)];
    const text = typeof raw === "string" ? raw.trim() : typeof raw === "number" ? String(raw) : "";
    if (text === "") {
      if (field.required) return { problem: say("toast.pause_required", { field: field.label }) };
      if (field.type !== "number") values[field.key] = "";
      continue;
    }
    if (field.type === "number") {
      const number = Number(text);
      if (!Number.isFinite(number)) {
        return { problem: say("toast.pause_number", { field: field.label }) };
      }
      values[field.key] = number;
    } else {
      values[field.key] = text;
    }
  }
  return { answer: { kind: "form", values } };
}
