import { isRecord } from "../messages/is-record.js";

/**
 * The envelope of a Lark event, shared by both receivers: a webhook body after decryption and a
 * long-connection frame have the same shape, and are checked by the same `readEnvelope`.
 */

/** Header of a schema 2.0 push (docs/lark-notes.md#envelopes). `create_time` is an opaque string. */
export interface LarkEventHeader {
  event_id: string;
  event_type: string;
  create_time: string;
  /** The app's Verification Token. */
  token?: string;
  app_id: string;
  tenant_key?: string;
}

export interface LarkEnvelopeV2 {
  schema: "2.0";
  header: LarkEventHeader;
  event: Record<string, unknown>;
}

/** Legacy (v1.0) event push: no `schema`, deduplicated by `uuid`. */
export interface LarkEnvelopeV1 {
  uuid: string;
  ts?: string;
  type: "event_callback";
  /** The app's Verification Token. */
  token: string;
  event: { type: string; [key: string]: unknown };
}

export type LarkEnvelope = LarkEnvelopeV2 | LarkEnvelopeV1;

/** Legacy message-card callback (docs/lark-notes.md#legacy-card-callback): a flat body, no `schema`. */
export interface LegacyCardAction {
  open_id?: string;
  user_id?: string;
  union_id?: string;
  open_message_id?: string;
  open_chat_id?: string;
  tenant_key?: string;
  /** The card's `c-…` delayed-update token, not the Verification Token. */
  token?: string;
  action: {
    /** An object, or a JSON string of one. */
    value?: Record<string, unknown> | string;
    tag?: string;
    option?: string;
    timezone?: string;
    name?: string;
    form_value?: Record<string, unknown>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** Re-exported for the Lark readers, which check every decoded object with it. */
export { isRecord };

export function isV2Envelope(envelope: LarkEnvelope): envelope is LarkEnvelopeV2 {
  return "schema" in envelope;
}

/** `im.message.receive_v1`, `card.action.trigger`, or a v1 type such as `p2p_chat_create`. */
export function envelopeEventType(envelope: LarkEnvelope): string {
  return isV2Envelope(envelope) ? envelope.header.event_type : envelope.event.type;
}

/** The id Lark keeps across redeliveries: `header.event_id` (2.0) or `uuid` (v1). */
export function envelopeEventId(envelope: LarkEnvelope): string {
  return isV2Envelope(envelope) ? envelope.header.event_id : envelope.uuid;
}

/** True for a flat legacy card callback: it has an `action`, no `schema` and no `encrypt`. */
export function isLegacyCardBody(body: Record<string, unknown>): body is LegacyCardAction {
  return (
    !("schema" in body) &&
    !("encrypt" in body) &&
    body.type !== "url_verification" &&
    isRecord(body.action)
  );
}

/**
 * Checks the shape of a decrypted push or a long-connection frame and types it, or says what is
 * wrong with it (the webhook answers 400 with that; the long connection logs it and acks).
 */
export function readEnvelope(
  body: Record<string, unknown>,
): { envelope: LarkEnvelope } | { problem: string } {
  if ("schema" in body) {
    const { header, event } = body;
    if (body.schema !== "2.0") {
      return { problem: `unknown envelope schema ${JSON.stringify(body.schema)}` };
    }
    if (!isRecord(header) || !isRecord(event)) {
      return { problem: "a schema 2.0 push needs a header object and an event object" };
    }
    for (const field of ["event_id", "event_type", "create_time", "app_id"] as const) {
      if (typeof header[field] !== "string" || header[field] === "") {
        return { problem: `a schema 2.0 push needs header.${field} as a non-empty string` };
      }
    }
    return { envelope: body as unknown as LarkEnvelopeV2 };
  }
  if (body.type === "event_callback") {
    const { event } = body;
    if (typeof body.uuid !== "string" || body.uuid === "" || typeof body.token !== "string") {
      return { problem: "a v1 event_callback needs uuid and token strings" };
    }
    if (!isRecord(event) || typeof event.type !== "string") {
      return { problem: "a v1 event_callback needs an event object with a type" };
    }
    return { envelope: body as unknown as LarkEnvelopeV1 };
  }
  return { problem: "the body is neither a schema 2.0 push nor a v1 event_callback" };
}
