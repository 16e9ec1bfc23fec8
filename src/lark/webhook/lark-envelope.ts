import { WebhookError } from "./webhook-error.js";

/** Header of a schema 2.0 push (lark-protocol §3.2). `create_time` is an opaque string. */
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

/** Legacy message-card callback (lark-protocol §5.2): a flat body, no `schema`. */
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

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

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

/** Checks the shape of a decrypted push and types it; throws WebhookError("not_an_object"). */
export function toEnvelope(body: Record<string, unknown>): LarkEnvelope {
  if ("schema" in body) {
    const { header, event } = body;
    if (body.schema !== "2.0") {
      throw malformed(`unknown envelope schema ${JSON.stringify(body.schema)}`);
    }
    if (!isRecord(header) || !isRecord(event)) {
      throw malformed("a schema 2.0 push needs a header object and an event object");
    }
    for (const field of ["event_id", "event_type", "create_time", "app_id"] as const) {
      if (typeof header[field] !== "string" || header[field] === "") {
        throw malformed(`a schema 2.0 push needs header.${field} as a non-empty string`);
      }
    }
    return body as unknown as LarkEnvelopeV2;
  }
  if (body.type === "event_callback") {
    const { event } = body;
    if (typeof body.uuid !== "string" || body.uuid === "" || typeof body.token !== "string") {
      throw malformed("a v1 event_callback needs uuid and token strings");
    }
    if (!isRecord(event) || typeof event.type !== "string") {
      throw malformed("a v1 event_callback needs an event object with a type");
    }
    return body as unknown as LarkEnvelopeV1;
  }
  throw malformed("the body is neither a schema 2.0 push nor a v1 event_callback");
}

function malformed(message: string): WebhookError {
  return new WebhookError("not_an_object", message);
}
