import type { WorkflowPause } from "../backends/workflow-pause.js";
import type { Translate } from "../i18n/translate.js";
import type { InfoCard, InfoFormField } from "../messages/info-card.js";

/** A form field's name on the card: its place, since an app's keys may hold any character. */
export function formFieldName(index: number): string {
  return `f${index}`;
}

/**
 * A workflow's question as a card: a button per option, or a form with the app's fields. The
 * buttons name the pause by id, so the press finds it in the store on any replica.
 */
export function pauseCard(
  pauseId: string,
  pause: WorkflowPause,
  conversationKey: string,
  say: Translate,
): InfoCard {
  const body = [pause.description, say(pause.kind === "select" ? "pause.pick" : "pause.fill")]
    .filter(Boolean)
    .join("\n\n");
  if (pause.kind === "select") {
    return {
      title: say("pause.title"),
      tone: "info",
      body,
      buttons: [
        pause.options.map((option, index) => ({
          label: option.label,
          action: { action: "pause_pick", conversationKey, param: pauseId, ref: String(index) },
        })),
      ],
    };
  }
  const fields = pause.fields.map(
    (field, index): InfoFormField => ({
      name: formFieldName(index),
      label: field.label,
      // Lark's inputs take any text; a number is checked when the form is sent.
      type: field.type === "number" ? "text" : field.type,
      required: field.required,
      ...(field.description ? { placeholder: field.description } : {}),
      ...(field.defaultValue ? { defaultValue: field.defaultValue } : {}),
      ...(field.options ? { options: field.options } : {}),
    }),
  );
  return {
    title: say("pause.title"),
    tone: "info",
    body,
    form: {
      fields,
      submit: {
        label: say("pause.send"),
        style: "primary",
        action: { action: "pause_submit", conversationKey, param: pauseId },
      },
    },
  };
}

/** The pause card once answered: what was asked and what the user said, no buttons left. */
export function answeredPauseCard(pause: WorkflowPause, answer: string, say: Translate): InfoCard {
  return {
    title: say("pause.answered_title"),
    tone: "success",
    body: [pause.description, say("pause.answered", { answer })].filter(Boolean).join("\n\n"),
  };
}
