import { larkId, randomHex } from "./ids.js";

/**
 * Builders of the bodies Lark pushes to a bot (docs/lark-notes.md#envelopes), with unique ids by
 * default so each call is a new event. Pass the result to `fake.push()` or to the WS fake.
 */

export interface EnvelopeHeader {
  event_id: string;
  event_type: string;
  create_time: string;
  token: string;
  app_id: string;
  tenant_key: string;
}

export interface Envelope<E> {
  schema: "2.0";
  header: EnvelopeHeader;
  event: E;
}

export interface EnvelopeOptions {
  appId: string;
  /** Verification token, echoed in `header.token`. */
  token?: string;
  eventId?: string;
  tenantKey?: string;
  /** `header.create_time`; Lark sends ms for messages and µs for card callbacks. */
  createTime?: string;
}

const DEFAULT_TENANT = "736588c9260f175e";

/** A schema-2.0 envelope around any event body. */
export function eventEnvelope<E>(eventType: string, event: E, opts: EnvelopeOptions): Envelope<E> {
  return {
    schema: "2.0",
    header: {
      event_id: opts.eventId ?? larkId("ev_"),
      event_type: eventType,
      create_time: opts.createTime ?? String(Date.now()),
      token: opts.token ?? "v_token",
      app_id: opts.appId,
      tenant_key: opts.tenantKey ?? DEFAULT_TENANT,
    },
    event,
  };
}

export interface MentionOption {
  /** Placeholder in the text, e.g. `@_user_1`. */
  key: string;
  openId: string;
  name: string;
}

export interface MessageEventOptions extends EnvelopeOptions {
  messageId?: string;
  chatId: string;
  chatType: "p2p" | "group";
  threadId?: string;
  rootId?: string;
  parentId?: string;
  senderOpenId: string;
  senderUnionId?: string;
  /** `user` for people; other bots show up as `app`. */
  senderType?: string;
  messageType?: string;
  /** For text messages: becomes `content: "{\"text\":…}"`. */
  text?: string;
  /** For other types: the received-format content object (stringified here). */
  content?: unknown;
  mentions?: MentionOption[];
}

export interface ReceivedMessage {
  message_id: string;
  root_id?: string;
  parent_id?: string;
  thread_id?: string;
  create_time: string;
  update_time: string;
  chat_id: string;
  chat_type: string;
  message_type: string;
  content: string;
  mentions?: Array<{
    key: string;
    id: { open_id: string; union_id: string };
    name: string;
    tenant_key: string;
  }>;
}

export interface MessageReceiveEvent {
  sender: {
    sender_id: { open_id: string; union_id: string };
    sender_type: string;
    tenant_key: string;
  };
  message: ReceivedMessage;
}

/** An `im.message.receive_v1` envelope. */
export function messageEvent(opts: MessageEventOptions): Envelope<MessageReceiveEvent> {
  const tenantKey = opts.tenantKey ?? DEFAULT_TENANT;
  const now = opts.createTime ?? String(Date.now());
  const messageType = opts.messageType ?? "text";
  const content =
    opts.content === undefined
      ? JSON.stringify({ text: opts.text ?? "" })
      : typeof opts.content === "string"
        ? opts.content
        : JSON.stringify(opts.content);
  const message: ReceivedMessage = {
    message_id: opts.messageId ?? larkId("om_"),
    ...(opts.rootId ? { root_id: opts.rootId } : {}),
    ...(opts.parentId ? { parent_id: opts.parentId } : {}),
    ...(opts.threadId ? { thread_id: opts.threadId } : {}),
    create_time: now,
    update_time: now,
    chat_id: opts.chatId,
    chat_type: opts.chatType,
    message_type: messageType,
    content,
  };
  if (opts.mentions && opts.mentions.length > 0) {
    message.mentions = opts.mentions.map((m) => ({
      key: m.key,
      id: { open_id: m.openId, union_id: `on_${m.openId.replace(/^ou_/, "")}` },
      name: m.name,
      tenant_key: tenantKey,
    }));
  }
  const event: MessageReceiveEvent = {
    sender: {
      sender_id: {
        open_id: opts.senderOpenId,
        union_id: opts.senderUnionId ?? `on_${opts.senderOpenId.replace(/^ou_/, "")}`,
      },
      sender_type: opts.senderType ?? "user",
      tenant_key: tenantKey,
    },
    message,
  };
  return eventEnvelope("im.message.receive_v1", event, { ...opts, createTime: now, tenantKey });
}

export interface MessageRecalledOptions extends EnvelopeOptions {
  messageId: string;
  chatId: string;
  /** `message_owner` when the sender recalled it, `group_owner`/`group_manager` otherwise. */
  recallType?: string;
}

/** An `im.message.recalled_v1` envelope: a message was taken back. */
export function messageRecalledEvent(opts: MessageRecalledOptions) {
  return eventEnvelope(
    "im.message.recalled_v1",
    {
      message_id: opts.messageId,
      chat_id: opts.chatId,
      recall_time: String(Date.now()),
      recall_type: opts.recallType ?? "message_owner",
    },
    opts,
  );
}

export interface ChatEventOptions extends EnvelopeOptions {
  chatId: string;
  /** Who added the bot, or opened the p2p chat. */
  operatorOpenId?: string;
}

/** `im.chat.member.bot.added_v1`: the bot was added to a group. */
export function botAddedEvent(opts: ChatEventOptions) {
  return eventEnvelope(
    "im.chat.member.bot.added_v1",
    {
      chat_id: opts.chatId,
      operator_id: { open_id: opts.operatorOpenId ?? "ou_alice" },
      external: false,
      operator_tenant_key: opts.tenantKey ?? DEFAULT_TENANT,
      name: "Team chat",
    },
    opts,
  );
}

/**
 * `p2p_chat_create`: a user opened the p2p chat with the bot for the first time. Lark still
 * sends it in the v1 format (`type: event_callback`, the event type in `event.type`).
 */
export function p2pChatCreateEvent(opts: ChatEventOptions & { uuid?: string }) {
  const openId = opts.operatorOpenId ?? "ou_alice";
  return {
    uuid: opts.uuid ?? larkId("uuid_"),
    token: opts.token ?? "v_token",
    ts: String(Date.now() / 1000),
    type: "event_callback",
    event: {
      type: "p2p_chat_create",
      app_id: opts.appId,
      tenant_key: opts.tenantKey ?? DEFAULT_TENANT,
      chat_id: opts.chatId,
      operator: { open_id: openId, user_id: "u_alice" },
      user: { name: "Alice", open_id: openId, user_id: "u_alice" },
    },
  };
}

export interface CardActionOptions extends EnvelopeOptions {
  operatorOpenId: string;
  /** `action.value` of the clicked component. */
  value: Record<string, unknown>;
  messageId: string;
  chatId: string;
  tag?: string;
  name?: string;
  formValue?: Record<string, unknown>;
  /** The delayed-update token (`event.token`, `c-…`). */
  cardToken?: string;
}

export interface CardActionEvent {
  operator: { tenant_key: string; open_id: string; union_id: string };
  token: string;
  action: {
    value: Record<string, unknown>;
    tag: string;
    name?: string;
    form_value?: Record<string, unknown>;
  };
  host: string;
  context: { open_message_id: string; open_chat_id: string };
}

/** A `card.action.trigger` envelope (new-style card callback). */
export function cardActionEvent(opts: CardActionOptions): Envelope<CardActionEvent> {
  const tenantKey = opts.tenantKey ?? DEFAULT_TENANT;
  const event: CardActionEvent = {
    operator: {
      tenant_key: tenantKey,
      open_id: opts.operatorOpenId,
      union_id: `on_${opts.operatorOpenId.replace(/^ou_/, "")}`,
    },
    token: opts.cardToken ?? `c-${randomHex(16)}`,
    action: {
      value: opts.value,
      tag: opts.tag ?? "button",
      ...(opts.name ? { name: opts.name } : {}),
      ...(opts.formValue ? { form_value: opts.formValue } : {}),
    },
    host: "im_message",
    context: { open_message_id: opts.messageId, open_chat_id: opts.chatId },
  };
  // Card callbacks carry a microsecond create_time (docs/lark-notes.md#envelopes).
  const createTime = opts.createTime ?? String(Date.now() * 1000);
  return eventEnvelope("card.action.trigger", event, { ...opts, createTime, tenantKey });
}

export interface LegacyCardActionOptions {
  openId: string;
  userId?: string;
  messageId: string;
  chatId?: string;
  tenantKey?: string;
  token?: string;
  value: Record<string, unknown> | string;
  tag?: string;
}

/** The flat body of a legacy message-card callback (docs/lark-notes.md#legacy-card-callback), in Lark's key order. */
export function legacyCardAction(opts: LegacyCardActionOptions): Record<string, unknown> {
  return {
    open_id: opts.openId,
    ...(opts.userId ? { user_id: opts.userId } : {}),
    open_message_id: opts.messageId,
    ...(opts.chatId ? { open_chat_id: opts.chatId } : {}),
    tenant_key: opts.tenantKey ?? DEFAULT_TENANT,
    token: opts.token ?? `c-${randomHex(16)}`,
    action: { value: opts.value, tag: opts.tag ?? "button" },
  };
}

/** The URL-verification body Lark posts when a request URL is saved. */
export function challengeBody(
  token: string,
  challenge: string = randomHex(12),
): { challenge: string; token: string; type: "url_verification" } {
  return { challenge, token, type: "url_verification" };
}
