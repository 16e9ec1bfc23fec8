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
}

export interface InfoButton {
  label: string;
  action: ToolbarAction;
  style?: "primary" | "danger" | "default";
}
