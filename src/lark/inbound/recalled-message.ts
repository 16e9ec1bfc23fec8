import { isRecord, isV2Envelope, type LarkEnvelope } from "../lark-envelope.js";
import { InboundError } from "./inbound-error.js";

/**
 * The id of the message an `im.message.recalled_v1` push says was taken back
 * (docs/lark-notes.md#recall-event: `{message_id, chat_id, recall_time, recall_type}`).
 * @throws InboundError when the envelope does not carry one.
 */
export function recalledMessageId(envelope: LarkEnvelope): string {
  const event = isV2Envelope(envelope) ? envelope.event : undefined;
  if (!isRecord(event) || typeof event.message_id !== "string" || event.message_id === "") {
    throw new InboundError("a recall event without event.message_id");
  }
  return event.message_id;
}
