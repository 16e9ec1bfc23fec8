import type { InfoCard } from "./info-card.js";

/**
 * A press on one of our cards' buttons, whichever callback format brought it. Plain data: a
 * Regenerate press is persisted with its job.
 */
export interface CardAction {
  botId: string;
  /** Absent for callbacks that carry no event id (Lark's legacy card callbacks). */
  eventId?: string;
  operatorOpenId: string;
  /** The card's message, when the channel says which one. */
  messageId?: string;
  chatId?: string;
  /** The button's `value`, as we put it in the card. */
  value: Record<string, unknown>;
  /** The values of a card form, by field name, when the press sent one. */
  formValue?: Record<string, unknown>;
  /** Lark's delayed-update token (`c-…`): valid 30 min, usable twice. */
  token?: string;
}

/**
 * What a press is answered with at once: a toast over the card, and the card that replaces
 * the pressed one (a confirmation that became its result, a list that went one level down).
 */
export interface CardActionReply {
  toast?: { type: "info" | "success" | "warning" | "error"; content: string };
  card?: InfoCard;
}
