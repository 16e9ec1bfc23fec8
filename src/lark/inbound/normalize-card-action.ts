import type { CardAction } from "../../messages/card-action.js";
import {
  isRecord,
  isV2Envelope,
  type LarkEnvelope,
  type LegacyCardAction,
} from "../lark-envelope.js";
import { InboundError } from "./inbound-error.js";

/** What `openWebhook` (kind `card`) or the WS receiver hands over for a card callback. */
export type OpenedCardAction =
  | { type: "event"; envelope: LarkEnvelope }
  | { type: "legacy_card"; body: LegacyCardAction };

/**
 * Normalizes a `card.action.trigger` push (schema 2.0) or a legacy flat card callback
 * (docs/lark-notes.md#card-callbacks).
 *
 * @example const action = normalizeCardAction(bot.id, opened); // opened.type !== "challenge"
 * @throws InboundError when there is no operator or the value is not an object.
 */
export function normalizeCardAction(botId: string, opened: OpenedCardAction): CardAction {
  return opened.type === "legacy_card"
    ? fromLegacy(botId, opened.body)
    : fromEnvelope(botId, opened.envelope);
}

function fromEnvelope(botId: string, envelope: LarkEnvelope): CardAction {
  if (!isV2Envelope(envelope) || envelope.header.event_type !== "card.action.trigger") {
    throw new InboundError("not a card.action.trigger event (schema 2.0)");
  }
  const { operator, action, context } = envelope.event;
  const ids = isRecord(context) ? context : {};
  const operatorOpenId = isRecord(operator) ? text(operator.open_id) : undefined;
  if (!operatorOpenId) throw new InboundError("event.operator.open_id is missing");
  return compact({
    botId,
    eventId: envelope.header.event_id,
    operatorOpenId,
    // Older pushes put the ids next to the action instead of in `context`.
    messageId: text(ids.open_message_id) ?? text(envelope.event.open_message_id),
    chatId: text(ids.open_chat_id) ?? text(envelope.event.open_chat_id),
    value: readValue(isRecord(action) ? action.value : undefined),
    formValue: isRecord(action) && isRecord(action.form_value) ? action.form_value : undefined,
    token: text(envelope.event.token),
  });
}

function fromLegacy(botId: string, body: LegacyCardAction): CardAction {
  const operatorOpenId = text(body.open_id);
  if (!operatorOpenId) throw new InboundError("legacy card callback has no open_id");
  return compact({
    botId,
    operatorOpenId,
    messageId: text(body.open_message_id),
    chatId: text(body.open_chat_id),
    value: readValue(body.action.value),
    formValue: isRecord(body.action.form_value) ? body.action.form_value : undefined,
    token: text(body.token),
  });
}

/** Legacy callbacks may deliver `value` as a JSON string of the object we sent. */
function readValue(value: unknown): Record<string, unknown> {
  if (value === undefined || value === null || value === "") return {};
  if (isRecord(value)) return value;
  if (typeof value === "string") {
    try {
      const parsed: unknown = JSON.parse(value);
      if (isRecord(parsed)) return parsed;
    } catch {
      // Reported below.
    }
  }
  throw new InboundError("the card action's value is neither an object nor a JSON object string");
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Drops undefined fields: the action is persisted as JSON. */
function compact(action: CardAction): CardAction {
  return Object.fromEntries(
    Object.entries(action).filter(([, value]) => value !== undefined),
  ) as unknown as CardAction;
}
