import { describe, expect, it } from "vitest";
import { InboundError } from "../../../src/lark/inbound/inbound-error.js";
import { normalizeCardAction } from "../../../src/lark/inbound/normalize-card-action.js";
import type { LarkEnvelopeV2, LegacyCardAction } from "../../../src/lark/lark-envelope.js";

function trigger(event: Record<string, unknown>): LarkEnvelopeV2 {
  return {
    schema: "2.0",
    header: {
      event_id: "ev_card",
      event_type: "card.action.trigger",
      create_time: "1603977298000000",
      token: "vtoken123",
      app_id: "cli_0123456789abcdef",
    },
    event,
  };
}

const legacy: LegacyCardAction = {
  open_id: "ou_x",
  open_message_id: "om_x",
  open_chat_id: "oc_x",
  tenant_key: "t",
  token: "c-x",
  action: { value: { k: "v" }, tag: "button" },
};

describe("normalizeCardAction", () => {
  it("normalizes a schema 2.0 card.action.trigger", () => {
    const envelope = trigger({
      operator: { open_id: "ou_1", user_id: "u1" },
      token: "c-295ee",
      action: { value: { action: "stop", turn: 3 }, tag: "button" },
      host: "im_message",
      context: { open_message_id: "om_1", open_chat_id: "oc_1" },
    });
    expect(normalizeCardAction("bot-a", { type: "event", envelope })).toEqual({
      botId: "bot-a",
      eventId: "ev_card",
      operatorOpenId: "ou_1",
      messageId: "om_1",
      chatId: "oc_1",
      value: { action: "stop", turn: 3 },
      token: "c-295ee",
    });
  });

  it("reads message and chat ids placed next to the action", () => {
    const envelope = trigger({
      operator: { open_id: "ou_1" },
      open_message_id: "om_2",
      open_chat_id: "oc_2",
      action: { value: { k: "v" } },
    });
    const action = normalizeCardAction("bot-a", { type: "event", envelope });
    expect([action.messageId, action.chatId]).toEqual(["om_2", "oc_2"]);
    expect("token" in action).toBe(false);
  });

  it("normalizes a legacy callback", () => {
    expect(normalizeCardAction("bot-a", { type: "legacy_card", body: legacy })).toEqual({
      botId: "bot-a",
      operatorOpenId: "ou_x",
      messageId: "om_x",
      chatId: "oc_x",
      value: { k: "v" },
      token: "c-x",
    });
  });

  it("parses a legacy value given as a JSON string", () => {
    const body = { ...legacy, action: { value: '{"action":"reset"}', tag: "button" } };
    expect(normalizeCardAction("bot-a", { type: "legacy_card", body }).value).toEqual({
      action: "reset",
    });
  });

  it("treats a missing value as empty", () => {
    const body = { ...legacy, action: { tag: "button" } };
    expect(normalizeCardAction("bot-a", { type: "legacy_card", body }).value).toEqual({});
  });

  it("throws InboundError without an operator, for other events, or for a non-object value", () => {
    const cases = [
      { type: "event" as const, envelope: trigger({ action: { value: {} } }) },
      {
        type: "event" as const,
        envelope: {
          ...trigger({ operator: { open_id: "ou_1" } }),
          header: { ...trigger({}).header, event_type: "im.message.receive_v1" },
        },
      },
      { type: "legacy_card" as const, body: { ...legacy, open_id: undefined } },
      { type: "legacy_card" as const, body: { ...legacy, action: { value: "not json" } } },
      { type: "legacy_card" as const, body: { ...legacy, action: { value: "[1,2]" } } },
    ];
    for (const opened of cases) {
      expect(() => normalizeCardAction("bot-a", opened)).toThrow(InboundError);
    }
  });
});
