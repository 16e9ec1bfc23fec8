import { assertOwnImages } from "./fake-lark-image-routes.js";
import { cardToBind, messageData, parseMessageContent } from "./fake-lark-message-content.js";
import { createRoute, type Route } from "./fake-lark-router.js";
import {
  type FakeLarkState,
  type InboundRecord,
  LarkFault,
  larkOk,
  looksLikeMessageId,
  requireApp,
} from "./fake-lark-state.js";
import type { FakeMessage, FakeRequest, FakeResponse } from "./fake-lark-types.js";
import { larkId } from "./ids.js";

export const SEND_SCOPE = "im:message:send_as_bot";
export const UPDATE_SCOPE = "im:message:update";
const READ_SCOPE = "im:message:readonly";
/** Same uuid → at most one message per hour (Lark's send-message docs). */
const UUID_TTL_MS = 60 * 60 * 1000;
/** A text/post message can be edited at most 20 times (Lark's edit-message docs). */
const MAX_EDITS = 20;
const RECEIVE_ID_TYPES = new Set(["open_id", "union_id", "user_id", "email", "chat_id"]);
const BASE = "/open-apis/im/v1/messages";

type Place = Pick<FakeMessage, "chatId" | "rootId" | "parentId" | "threadId">;
type Json = Record<string, unknown>;

/** IM message routes: send, reply, card PATCH, edit PUT, get, recall. */
export function messageRoutes(state: FakeLarkState): Route[] {
  return [
    createRoute("POST", BASE, (req) => send(state, req), SEND_SCOPE),
    createRoute("POST", `${BASE}/:message_id/reply`, (req) => reply(state, req), SEND_SCOPE),
    createRoute("PATCH", `${BASE}/:message_id`, (req) => patchCard(state, req), UPDATE_SCOPE),
    createRoute("PUT", `${BASE}/:message_id`, (req) => edit(state, req), UPDATE_SCOPE),
    createRoute("GET", `${BASE}/:message_id`, (req) => get(state, req), READ_SCOPE),
    createRoute("DELETE", `${BASE}/:message_id`, (req) => recall(state, req), SEND_SCOPE),
  ];
}

function send(state: FakeLarkState, req: FakeRequest): FakeResponse {
  const app = requireApp(state, req.appId);
  const receiveIdType = req.query.get("receive_id_type") ?? "";
  if (!RECEIVE_ID_TYPES.has(receiveIdType)) {
    throw new LarkFault(99992402, "field validation failed: receive_id_type is required");
  }
  const receiveId = req.body?.receive_id;
  if (typeof receiveId !== "string" || !receiveId) {
    throw new LarkFault(99992402, "field validation failed: receive_id is required");
  }
  const content = parseMessageContent(req.body?.msg_type, req.body?.content);
  assertOwnImages(state, app.appId, req.body?.msg_type, content);
  const first = firstWithUuid(state, app.appId, req.body?.uuid);
  if (first) return larkOk(messageData(first));
  const chatId = receiveIdType === "chat_id" ? receiveId : p2pChat(state, app.appId, receiveId);
  const m = commit(state, app.appId, req.body, content, { chatId });
  m.receiveId = receiveId;
  m.receiveIdType = receiveIdType;
  return larkOk(messageData(m));
}

function reply(state: FakeLarkState, req: FakeRequest): FakeResponse {
  const app = requireApp(state, req.appId);
  const targetId = req.params.message_id ?? "";
  const content = parseMessageContent(req.body?.msg_type, req.body?.content);
  assertOwnImages(state, app.appId, req.body?.msg_type, content);
  const first = firstWithUuid(state, app.appId, req.body?.uuid);
  if (first) return larkOk(messageData(first));
  const inThread = req.body?.reply_in_thread === true;
  const m = commit(state, app.appId, req.body, content, replyPlace(state, targetId, inThread));
  m.replyTo = targetId;
  m.replyInThread = inThread;
  return larkOk(messageData(m));
}

/**
 * Thread rules (Lark's reply-message docs): a reply to a message in a thread stays in it; with
 * `reply_in_thread` a new thread starts at the target; otherwise it is a plain quote-reply.
 */
function replyPlace(state: FakeLarkState, targetId: string, inThread: boolean): Place {
  const own = state.messagesById.get(targetId);
  if (own?.deleted) throw new LarkFault(230011, "The message was withdrawn");
  let target: FakeMessage | InboundRecord | undefined = own ?? state.inbound.get(targetId);
  if (!target) {
    if (!looksLikeMessageId(targetId)) {
      throw new LarkFault(230001, `invalid message_id: ${targetId}`);
    }
    // A user message pushed through some other path: remember it so its thread sticks.
    target = { messageId: targetId, chatId: "" };
    state.inbound.set(targetId, target);
  }
  if (target.threadId) {
    const root = target.rootId ?? target.messageId;
    return { chatId: target.chatId, threadId: target.threadId, rootId: root, parentId: root };
  }
  if (inThread) {
    target.threadId = larkId("omt_", 8);
    return {
      chatId: target.chatId,
      threadId: target.threadId,
      rootId: target.messageId,
      parentId: target.messageId,
    };
  }
  return { chatId: target.chatId, rootId: target.rootId ?? target.messageId, parentId: targetId };
}

function firstWithUuid(
  state: FakeLarkState,
  appId: string,
  uuid: unknown,
): FakeMessage | undefined {
  if (typeof uuid !== "string" || !uuid) return undefined;
  const first = state.messageUuids.get(`${appId}\n${uuid}`);
  return first && Date.now() - first.createdAt < UUID_TTL_MS ? first : undefined;
}

function commit(
  state: FakeLarkState,
  appId: string,
  body: Json,
  content: Json,
  place: Place,
): FakeMessage {
  const card = cardToBind(state, appId, content);
  const now = Date.now();
  const uuid = typeof body.uuid === "string" && body.uuid ? body.uuid : undefined;
  const m: FakeMessage = {
    messageId: larkId("om_"),
    appId,
    ...place,
    msgType: String(body.msg_type),
    content,
    ...(uuid ? { uuid } : {}),
    ...(card ? { card } : {}),
    deleted: false,
    createdAt: now,
    updatedAt: now,
    updates: [],
  };
  if (card) card.sentAsMessageId = m.messageId;
  if (uuid) state.messageUuids.set(`${appId}\n${uuid}`, m);
  state.messages.push(m);
  state.messagesById.set(m.messageId, m);
  return m;
}

function p2pChat(state: FakeLarkState, appId: string, userId: string): string {
  const key = `${appId}\n${userId}`;
  let chatId = state.p2pChats.get(key);
  if (!chatId) {
    chatId = larkId("oc_");
    state.p2pChats.set(key, chatId);
  }
  return chatId;
}

/** A message this app sent and has not recalled; anything else is Lark's 230011-ish refusal. */
function ownMessage(state: FakeLarkState, req: FakeRequest): FakeMessage {
  const app = requireApp(state, req.appId);
  const id = req.params.message_id ?? "";
  const m = state.messagesById.get(id);
  if (!m) throw new LarkFault(230011, `message ${id} not found or was withdrawn`);
  if (m.deleted) throw new LarkFault(230011, "The message was withdrawn");
  if (m.appId !== app.appId) {
    throw new LarkFault(230001, "only the app that sent a message can change it");
  }
  return m;
}

function allowsUpdates(json: Json): boolean {
  const config = json.config as Json | undefined;
  // JSON 2.0 cards are shared (update_multi true) unless they say otherwise.
  return json.schema === "2.0" ? config?.update_multi !== false : config?.update_multi === true;
}

function patchCard(state: FakeLarkState, req: FakeRequest): FakeResponse {
  const m = ownMessage(state, req);
  if (m.msgType !== "interactive") {
    throw new LarkFault(230001, "only interactive (card) messages can be patched; use PUT to edit");
  }
  const rate = state.patches.hit(m.messageId, state.limits.patchPerSecond);
  if (!rate.ok) throw new LarkFault(230020, "This operation triggers the frequency limit");
  // Size (230025) and table limits are checked like a send.
  const content = parseMessageContent("interactive", req.body?.content);
  assertOwnImages(state, m.appId, "interactive", content);
  if (content.type === "card") {
    throw new LarkFault(230001, "PATCH takes card JSON or a template, not a card_id");
  }
  const before = m.card ? true : m.content.type === "template" || allowsUpdates(m.content);
  const after = content.type === "template" || allowsUpdates(content);
  if (!before || !after) {
    throw new LarkFault(230001, 'the card must set "config": {"update_multi": true} to be patched');
  }
  m.card = undefined;
  applyUpdate(m, content);
  return larkOk({});
}

function edit(state: FakeLarkState, req: FakeRequest): FakeResponse {
  const m = ownMessage(state, req);
  const msgType = req.body?.msg_type;
  if (
    (m.msgType !== "text" && m.msgType !== "post") ||
    (msgType !== "text" && msgType !== "post")
  ) {
    throw new LarkFault(230001, "only text and post messages can be edited (cards use PATCH)");
  }
  if (m.updates.length >= MAX_EDITS) {
    throw new LarkFault(230001, `a message can be edited at most ${MAX_EDITS} times`);
  }
  const content = parseMessageContent(msgType, req.body?.content);
  m.msgType = msgType;
  applyUpdate(m, content);
  return larkOk(messageData(m));
}

function applyUpdate(m: FakeMessage, content: Json): void {
  m.content = content;
  m.updatedAt = Date.now();
  m.updates.push({ at: performance.now(), content });
}

function get(state: FakeLarkState, req: FakeRequest): FakeResponse {
  const id = req.params.message_id ?? "";
  const own = state.messagesById.get(id);
  if (own) return larkOk({ items: [messageData(own)] });
  const inbound = state.inbound.get(id);
  if (!inbound?.msgType) throw new LarkFault(230011, `message ${id} not found or was withdrawn`);
  const time = inbound.createTime ?? "0";
  return larkOk({
    items: [
      {
        message_id: id,
        ...(inbound.rootId ? { root_id: inbound.rootId } : {}),
        ...(inbound.parentId || inbound.rootId
          ? { parent_id: inbound.parentId ?? inbound.rootId }
          : {}),
        ...(inbound.threadId ? { thread_id: inbound.threadId } : {}),
        msg_type: inbound.msgType,
        create_time: time,
        update_time: time,
        deleted: false,
        updated: false,
        chat_id: inbound.chatId,
        sender: { id: inbound.senderOpenId, id_type: "open_id", sender_type: "user" },
        body: { content: inbound.content ?? "{}" },
        ...(inbound.mentions ? { mentions: inbound.mentions } : {}),
      },
      // A forwarded chat: its messages follow it, each pointing at the forward holding it.
      ...(state.forwards.get(id) ?? []).map((child) => ({
        message_id: child.messageId,
        upper_message_id: child.upperMessageId ?? id,
        msg_type: child.msgType,
        create_time: child.createTime,
        update_time: child.createTime,
        deleted: false,
        updated: false,
        chat_id: inbound.chatId,
        sender: {
          id: child.senderOpenId,
          id_type: child.senderType === "app" ? "app_id" : "open_id",
          sender_type: child.senderType ?? "user",
        },
        body: { content: JSON.stringify(child.content) },
      })),
    ],
  });
}

function recall(state: FakeLarkState, req: FakeRequest): FakeResponse {
  const m = ownMessage(state, req);
  m.deleted = true;
  m.updatedAt = Date.now();
  return larkOk({});
}
