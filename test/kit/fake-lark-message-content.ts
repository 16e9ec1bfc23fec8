import { assertTableLimit, inspectCard } from "./fake-lark-card-json.js";
import { type FakeLarkState, LarkFault } from "./fake-lark-state.js";
import type { FakeCard, FakeMessage } from "./fake-lark-types.js";

/** Size limits of message content, docs/lark-notes.md#size-limits: text 150 KB, post and card 30 KB. */
export const TEXT_MAX_BYTES = 150 * 1024;
export const RICH_MAX_BYTES = 30 * 1024;

const MSG_TYPES = new Set([
  "text",
  "post",
  "image",
  "file",
  "audio",
  "media",
  "sticker",
  "interactive",
  "share_chat",
  "share_user",
  "system",
]);

type Json = Record<string, unknown>;

/** Validates `msg_type` + `content` (a JSON string) as Lark's send/reply/edit do. */
export function parseMessageContent(msgType: unknown, content: unknown): Json {
  if (typeof msgType !== "string" || !MSG_TYPES.has(msgType)) {
    throw new LarkFault(230001, `invalid msg_type: ${String(msgType)}`);
  }
  if (typeof content !== "string") {
    throw new LarkFault(230001, "invalid content: content must be a JSON-encoded string");
  }
  const limit = msgType === "text" ? TEXT_MAX_BYTES : RICH_MAX_BYTES;
  if (Buffer.byteLength(content, "utf8") > limit) {
    throw new LarkFault(
      230025,
      `message content too long: ${msgType} is limited to ${limit} bytes`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    throw new LarkFault(230001, "invalid content: content is not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new LarkFault(230001, "invalid content: content must encode a JSON object");
  }
  const json = parsed as Json;
  if (msgType === "text" && typeof json.text !== "string") {
    throw new LarkFault(230001, 'invalid content: text messages need {"text": "…"}');
  }
  if (msgType === "post" && !Object.values(json).some(isLocaleBody)) {
    throw new LarkFault(230001, 'invalid content: post needs a locale, e.g. {"zh_cn": {content}}');
  }
  if (msgType === "interactive") checkCardContent(json);
  return json;
}

function isLocaleBody(value: unknown): boolean {
  return typeof value === "object" && value !== null && Array.isArray((value as Json).content);
}

function checkCardContent(json: Json): void {
  const data = json.data as Json | undefined;
  if (json.type === "card") {
    if (typeof data?.card_id !== "string") {
      throw new LarkFault(230001, 'invalid content: {"type":"card"} needs data.card_id');
    }
    return;
  }
  if (json.type === "template") {
    if (typeof data?.template_id !== "string") {
      throw new LarkFault(230001, 'invalid content: {"type":"template"} needs data.template_id');
    }
    return;
  }
  assertTableLimit(inspectCard(json));
}

/** The CardKit card a `{"type":"card"}` message would show, after Lark's ownership checks. */
export function cardToBind(state: FakeLarkState, appId: string, json: Json): FakeCard | undefined {
  if (json.type !== "card") return undefined;
  const cardId = String((json.data as Json).card_id);
  const card = state.cards.get(cardId);
  const fail = (why: string, sub?: number) =>
    new LarkFault(
      230099,
      `Failed to create card content, ext=${sub ? `ErrCode: ${sub}; ` : ""}ErrMsg: ${why}; `,
    );
  if (!card) throw fail(`card entity ${cardId} not found`, 200740);
  if (card.appId !== appId) throw fail("the app is not the card entity's owner", 300311);
  // The sub-code for a re-send is not documented; the message says what went wrong.
  if (card.sentAsMessageId) {
    throw fail(`card entity already sent as ${card.sentAsMessageId}; it can be sent once`);
  }
  return card;
}

/** The `message` object Lark returns from send/reply/edit/get. */
export function messageData(m: FakeMessage, tenantKey = "736588c9260f175e"): Json {
  return {
    message_id: m.messageId,
    ...(m.rootId ? { root_id: m.rootId } : {}),
    ...(m.parentId ? { parent_id: m.parentId } : {}),
    ...(m.threadId ? { thread_id: m.threadId } : {}),
    msg_type: m.msgType,
    create_time: String(m.createdAt),
    update_time: String(m.updatedAt),
    deleted: m.deleted,
    updated: m.updates.length > 0,
    chat_id: m.chatId,
    sender: { id: m.appId, id_type: "app_id", sender_type: "app", tenant_key: tenantKey },
    body: { content: JSON.stringify(m.content) },
  };
}
