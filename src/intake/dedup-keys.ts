/**
 * The durable keys intake and recall write beside the jobs. Namespaced by bot: two bots in one
 * group see the same message id and must each answer. Kept `DEDUP_RETENTION_MS`.
 */

/**
 * A message, by its id alone: Lark's docs for im.message.receive_v1 say to dedupe on it, and a
 * re-push of the same event carries the same message, so an event-id key would only cost a
 * second index write on the ack path (docs/lark-notes.md#deduplication).
 */
export function messageKey(botId: string, messageId: string): string {
  return `msg:${botId}:${messageId}`;
}

/** An event without a message of its own (a card action), by the event id Lark keeps. */
export function eventKey(botId: string, eventId: string): string {
  return `evt:${botId}:${eventId}`;
}

/** The marker of a message its sender recalled, seen by every replica. */
export function recalledKey(botId: string, messageId: string): string {
  return `recalled:${botId}:${messageId}`;
}

/**
 * Dedup keys must outlive Lark's whole re-push schedule (15 s, 5 min, 1 h, 6 h ≈ 7.1 h); we
 * keep them a day.
 */
export const DEDUP_RETENTION_MS = 24 * 60 * 60 * 1000;
