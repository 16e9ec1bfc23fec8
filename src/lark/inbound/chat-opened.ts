import type { ChatOpened } from "../../messages/chat-opened.js";
import {
  envelopeEventId,
  envelopeEventType,
  isRecord,
  isV2Envelope,
  type LarkEnvelope,
} from "../lark-envelope.js";
import { InboundError } from "./inbound-error.js";

/** The events that open a chat with the bot (both optional subscriptions, see docs/setup.md). */
export const CHAT_OPENED_EVENTS: readonly string[] = [
  // Schema 2.0: `event.chat_id`, with the operator who added the bot.
  "im.chat.member.bot.added_v1",
  // Schema 1.0, still how Lark says a user opened the p2p chat for the first time.
  "p2p_chat_create",
];

/**
 * The chat of a bot-added or p2p-created event.
 * @throws InboundError when the event has no chat id.
 */
export function chatOpened(botId: string, envelope: LarkEnvelope): ChatOpened {
  const event = isV2Envelope(envelope) ? envelope.event : envelope.event;
  const chatId = isRecord(event) && typeof event.chat_id === "string" ? event.chat_id : "";
  if (!chatId) throw new InboundError(`a ${envelopeEventType(envelope)} event without chat_id`);
  return {
    botId,
    eventId: envelopeEventId(envelope),
    chatId,
    chatType: envelopeEventType(envelope) === "p2p_chat_create" ? "p2p" : "group",
  };
}
