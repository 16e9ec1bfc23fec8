import { afterEach, describe, expect, it } from "vitest";
import { envelopeEventId, envelopeEventType } from "../../../src/lark/lark-envelope.js";
import { larkId } from "../../kit/ids.js";
import { cardActionEvent, eventEnvelope, messageEvent } from "../../kit/lark-events.js";
import { waitFor } from "../../kit/wait-for.js";
import { connectedHarness, sleep, type WsHarness } from "./ws-harness.js";

const open: WsHarness[] = [];
afterEach(async () => {
  for (const harness of open.splice(0)) await harness.close();
});
async function harness(...args: Parameters<typeof connectedHarness>) {
  const h = await connectedHarness(...args);
  open.push(h);
  return h;
}

function textMessage(appId: string, text = "hello") {
  return messageEvent({
    appId,
    chatId: larkId("oc_"),
    chatType: "p2p",
    senderOpenId: larkId("ou_"),
    text,
  });
}

describe("WS receiver: delivery over the SDK's long connection", () => {
  it("hands onEnvelope the envelope exactly as a webhook body and acks it", async () => {
    const h = await harness();
    const envelope = textMessage(h.appId);

    const result = await h.ws.pushEvent(envelope);

    expect(h.envelopes).toEqual([envelope]);
    expect(result.ack).toEqual({ code: 200 });
    const ack = h.ws.acks.find((a) => a.messageId === result.messageId);
    expect(ack?.headers.type).toBe("event");
    expect(h.ws.errors).toEqual([]);
    const logged = JSON.stringify(h.logs);
    expect(logged).not.toContain(h.appSecret);
    expect(logged).not.toMatch(/ticket=[0-9a-f]{8}/);
  });

  it("acks at once when onEnvelope returns before its slow work is done", async () => {
    const h = await harness();
    let slowDoneAt = 0;
    let slow: Promise<void> = Promise.resolve();
    h.handle = async () => {
      slow = sleep(2000).then(() => {
        slowDoneAt = performance.now();
      });
      return undefined;
    };

    const result = await h.ws.pushEvent(textMessage(h.appId));
    expect(slowDoneAt).toBe(0); // acked while the work was still running
    await slow;

    expect(result.ack.code).toBe(200);
    expect(slowDoneAt).toBeGreaterThan(result.ackAt);
  });

  it("acks only after onEnvelope settles (why it must return fast)", async () => {
    const h = await harness();
    let settledAt = 0;
    h.handle = async () => {
      await sleep(300);
      settledAt = performance.now();
    };

    const result = await h.ws.pushEvent(textMessage(h.appId));

    expect(settledAt).toBeGreaterThan(0);
    expect(result.ackAt).toBeGreaterThanOrEqual(settledAt);
  });

  it("reassembles an event split into 3 fragments", async () => {
    const h = await harness();
    // Multi-byte text so fragment borders fall inside UTF-8 sequences.
    const envelope = textMessage(h.appId, "长连接分片测试 ✓ ".repeat(300));

    const result = await h.ws.pushEvent(envelope, { fragments: 3 });

    expect(result.ack).toEqual({ code: 200 });
    expect(h.envelopes).toEqual([envelope]);
  });

  it.each(["event", "card"] as const)(
    "answers a card.action.trigger sent as a %s frame with the callback response",
    async (type) => {
      const h = await harness();
      const toast = { toast: { type: "success", content: "ok" } };
      h.handle = async (envelope) =>
        envelopeEventType(envelope) === "card.action.trigger" ? toast : undefined;
      const envelope = cardActionEvent({
        appId: h.appId,
        token: "verification-token",
        cardToken: "c-delayed-update-token",
        operatorOpenId: larkId("ou_"),
        value: { action: "regenerate" },
        messageId: larkId("om_"),
        chatId: larkId("oc_"),
      });

      const result = await h.ws.pushEvent(envelope, { type });

      expect(result.ack).toEqual({ code: 200, data: toast });
      // Both tokens survive: the SDK's flattening would overwrite header.token with event.token.
      expect(h.envelopes).toEqual([envelope]);
      const got = h.envelopes[0] as unknown as typeof envelope;
      expect(got.header.token).toBe("verification-token");
      expect(got.event.token).toBe("c-delayed-update-token");
      const ack = h.ws.acks.find((a) => a.messageId === result.messageId);
      expect(ack?.headers.type).toBe(type);
    },
  );

  it("acks event types it does not handle without calling onEnvelope or logging problems", async () => {
    const h = await harness();
    const read = eventEnvelope(
      "im.message.message_read_v1",
      { reader: { reader_id: { open_id: larkId("ou_") } }, message_id_list: [larkId("om_")] },
      { appId: h.appId },
    );

    const result = await h.ws.pushEvent(read);

    expect(result.ack).toEqual({ code: 200 });
    expect(h.envelopes).toEqual([]);
    expect(h.logs.filter((l) => l.level >= 40)).toEqual([]);
  });

  it("acks 500 and logs the event id when onEnvelope throws, then keeps receiving", async () => {
    const h = await harness();
    h.handle = async () => {
      throw new Error("database is down");
    };
    const failing = textMessage(h.appId);

    const failed = await h.ws.pushEvent(failing);

    expect(failed.ack.code).toBe(500);
    const errorLine = h.logs.find((l) => l.level === 50);
    expect(errorLine?.eventId).toBe(failing.header.event_id);
    h.handle = async () => undefined;
    const next = await h.ws.pushEvent(textMessage(h.appId));
    expect(next.ack.code).toBe(200);
  });

  it("gets a re-push of an unacked message with the same event id (fake re-push)", async () => {
    const h = await harness();
    h.handle = async () => sleep(700);
    const envelope = textMessage(h.appId);

    const result = await h.ws.pushWithRepush(envelope, { repushAfterMs: 300, times: 3 });

    expect(result.ack.code).toBe(200);
    expect(result.pushes.length).toBeGreaterThanOrEqual(2);
    // Every push reaches onEnvelope (the last ones may still be in flight when the first acks).
    await waitFor(() => h.envelopes.length === result.pushes.length, { label: "all pushes" });
    const ids = h.envelopes.map((e) => envelopeEventId(e));
    expect(new Set(ids)).toEqual(new Set([envelope.header.event_id]));
  });
});
