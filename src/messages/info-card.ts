import type { ToolbarAction } from "./toolbar-action.js";

/**
 * A card that answers a command (help, a confirmation, a list to pick from): a title, some
 * markdown and rows of buttons. The channel draws it in its own card format.
 */
export interface InfoCard {
  title: string;
  /** The header's colour, by meaning. */
  tone?: "info" | "success" | "warning" | "danger";
  /** Markdown. */
  body: string;
  /** A picture above the text, by the reference the channel gave it (`Replier.picture`). */
  picture?: { ref: string; alt: string };
  /** Rows of buttons, top to bottom. */
  buttons?: InfoButton[][];
  /** A form below the text: its fields, and the button that sends them with their values. */
  form?: { fields: InfoFormField[]; submit: InfoButton };
}

/**
 * One field of a card form. `name` is what the press carries the value under (letters,
 * digits and `_`, unique in the form).
 */
export interface InfoFormField {
  name: string;
  label: string;
  type: "text" | "textarea" | "select";
  required: boolean;
  placeholder?: string;
  defaultValue?: string;
  options?: string[];
}

export interface InfoButton {
  label: string;
  action: ToolbarAction;
  style?: "primary" | "danger" | "default";
}
