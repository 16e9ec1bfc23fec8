import { createHash } from "node:crypto";

/**
 * Lark's `uuid` request field: the same uuid within an hour gets the first result back instead
 * of a second message, and Lark refuses one over 50 characters. This file builds every uuid we
 * send, so the length rule holds everywhere and distinct requests never share one.
 */
export const MAX_REQUEST_UUID = 50;

/**
 * `text` itself when it fits; otherwise its head and a hash of the whole, so two long keys that
 * differ only at the end (`…-f1`, `…-f2`) stay distinct.
 */
export function requestUuid(text: string): string {
  if (text.length <= MAX_REQUEST_UUID) return text;
  const hash = createHash("sha256").update(text).digest("hex").slice(0, 16);
  return `${text.slice(0, MAX_REQUEST_UUID - hash.length - 1)}~${hash}`;
}

/** A short notice replying to a message (one per message: Reset, unsupported type…). */
export function noticeUuid(messageId: string): string {
  return requestUuid(`n-${messageId}`);
}

/** The card answering a command message (one per message, like a notice). */
export function commandCardUuid(messageId: string): string {
  return requestUuid(`k-${messageId}`);
}

/** A card replying to a message that gets several (a workflow's pauses), one per key. */
export function keyedCardUuid(key: string): string {
  return requestUuid(`q-${key}`);
}

/** The card of a picture made for a user (one per answer key: a press makes a new one). */
export function pictureCardUuid(answerKey: string): string {
  return requestUuid(`p-${answerKey}`);
}

/** The welcome of one event (the bot added to a group, a p2p chat opened). */
export function welcomeUuid(eventId: string): string {
  return requestUuid(`w-${eventId}`);
}

/** The `index`-th card of a live answer (0: the first, which a take-over looks for). */
export function liveCardUuid(answerKey: string, index: number): string {
  return requestUuid(index === 0 ? answerKey : `${answerKey}-${index}`);
}

/** The `index`-th message of an answer sent whole, when live cards are not possible. */
export function finalMessageUuid(answerKey: string, index: number): string {
  return requestUuid(index === 0 ? `${answerKey}-f` : `${answerKey}-f${index}`);
}

/** A CardKit operation on a card: content (`c`), settings (`s`) or full update (`u`). */
export function cardOperationUuid(operation: "c" | "s" | "u", cardId: string, sequence: number) {
  return requestUuid(`${operation}_${cardId}_${sequence}`);
}

/** The `index`-th file an answer sends after its card. */
export function answerFileUuid(answerKey: string, index: number): string {
  return requestUuid(`${answerKey}-file${index}`);
}
