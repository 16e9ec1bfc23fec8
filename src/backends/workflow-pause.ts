/**
 * A workflow that stopped to ask the user something (FastGPT's interactive nodes): pick one
 * of some options, or fill in a form. Plain data: it is stored with the pause until the user
 * answers, possibly on another replica after a restart.
 */
export type WorkflowPause =
  | { kind: "select"; description?: string; options: PauseOption[] }
  | { kind: "form"; description?: string; fields: PauseField[] };

export interface PauseOption {
  /** The app's own key for the option (FastGPT `key`), kept for the record. */
  key?: string;
  /** What the button shows; also what FastGPT takes back as the choice. */
  label: string;
}

export interface PauseField {
  /** The app's name for the field: the key of the value sent back. */
  key: string;
  label: string;
  type: "text" | "textarea" | "number" | "select";
  required: boolean;
  description?: string;
  defaultValue?: string;
  /** The choices of a `select` field. */
  options?: string[];
}

/** What the user answered: the option pressed, or the form's values by field key. */
export type PauseAnswer =
  | { kind: "select"; option: string }
  | { kind: "form"; values: Record<string, string | number> };

/**
 * The user message that carries an answer back to FastGPT under the same chatId: the chosen
 * option's text, or the form's values as a JSON object string (FastGPT's "interactive node
 * continues" API).
 */
export function fastGptPauseMessage(answer: PauseAnswer): string {
  return answer.kind === "select" ? answer.option : JSON.stringify(answer.values);
}

/** The answer as the chat log and the history keep it: readable, one line per field. */
export function pauseAnswerText(pause: WorkflowPause, answer: PauseAnswer): string {
  if (answer.kind === "select") return answer.option;
  const fields = pause.kind === "form" ? pause.fields : [];
  return fields
    .filter((field) => answer.values[field.key] !== undefined)
    .map((field) => `${field.label}: ${answer.values[field.key]}`)
    .join("\n");
}
