import type { LarkEnvelopeV2 } from "../../../src/lark/lark-envelope.js";

export const BOT_OPEN_ID = "ou_bot";

interface MessageOverrides {
  message?: Record<string, unknown>;
  sender?: Record<string, unknown>;
}

/** An `im.message.receive_v1` envelope shaped like docs/lark-notes.md#message-received-event, with overrides. */
export function messageEnvelope(overrides: MessageOverrides = {}): LarkEnvelopeV2 {
  return {
    schema: "2.0",
    header: {
      event_id: "ev_1",
      event_type: "im.message.receive_v1",
      create_time: "1700000000000",
      token: "vtoken123",
      app_id: "cli_0123456789abcdef",
      tenant_key: "tenant",
    },
    event: {
      sender: {
        sender_id: { union_id: "on_alice", user_id: "alice", open_id: "ou_alice" },
        sender_type: "user",
        tenant_key: "tenant",
        ...overrides.sender,
      },
      message: {
        message_id: "om_1",
        create_time: "1700000000123",
        chat_id: "oc_1",
        chat_type: "group",
        message_type: "text",
        content: JSON.stringify({ text: "hello" }),
        ...overrides.message,
      },
    },
  };
}

export function textEnvelope(
  text: string,
  mentions?: { key: string; openId?: string; name: string }[],
): LarkEnvelopeV2 {
  return messageEnvelope({
    message: {
      content: JSON.stringify({ text }),
      mentions: mentions?.map((mention) => ({
        key: mention.key,
        id: mention.openId ? { open_id: mention.openId, union_id: "on_x" } : {},
        name: mention.name,
        tenant_key: "tenant",
      })),
    },
  });
}
