import http from "node:http";
import * as lark from "@larksuiteoapi/node-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFakeLark, type FakeLark } from "./fake-lark.js";
import { closeServer, listenLocal } from "./http-json.js";
import { cardActionEvent, challengeBody, legacyCardAction, messageEvent } from "./lark-events.js";

const ENCRYPT_KEY = "kit-encrypt-key";
const VERIFICATION_TOKEN = "kit-vtoken";
const silent = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };

/** The flattened object the SDK hands to handlers (only the fields these tests read). */
interface Delivered {
  event_id?: string;
  message?: { content: string; create_time: string; mentions: Array<{ id: { open_id: string } }> };
  action?: { value: Record<string, unknown> };
  context?: { open_message_id: string };
}

/** A webhook receiver built only from the official SDK, to prove the fake pushes real wire data. */
async function sdkReceiver() {
  const received: Delivered[] = [];
  const handlers: Record<string, (data: Delivered) => Promise<unknown>> = {
    "im.message.receive_v1": async (data) => {
      received.push(data);
      return { ok: true };
    },
    "card.action.trigger": async (data) => {
      received.push(data);
      return { toast: { type: "success", content: `got ${data.action?.value.k}` } };
    },
  };
  const dispatcher = new lark.EventDispatcher({ encryptKey: ENCRYPT_KEY, logger: silent });
  // card.action.trigger is missing from the SDK's generated handler typings.
  dispatcher.register(handlers as Parameters<typeof dispatcher.register>[0]);
  const cards = new lark.CardActionHandler(
    { verificationToken: VERIFICATION_TOKEN, logger: silent },
    async (data: Delivered) => {
      received.push(data);
      return { toast: { content: "legacy ok" } };
    },
  );
  const events = lark.adaptDefault("/events", dispatcher, { autoChallenge: true });
  const legacy = lark.adaptDefault("/cards", cards, { autoChallenge: true });
  const server = http.createServer((req, res) => {
    if (req.url === "/cards") return legacy(req, res);
    if (req.url === "/slow") return void setTimeout(() => res.end("late"), 300);
    return events(req, res);
  });
  const port = await listenLocal(server);
  return { url: `http://127.0.0.1:${port}`, received, server };
}

describe("lark-events + fake.push against the official SDK", () => {
  let fake: FakeLark;
  let receiver: Awaited<ReturnType<typeof sdkReceiver>>;
  beforeAll(async () => {
    fake = await createFakeLark();
    receiver = await sdkReceiver();
  });
  afterAll(async () => {
    await fake.close();
    await closeServer(receiver.server);
  });

  it("delivers an encrypted, signed message event the SDK accepts", async () => {
    const envelope = messageEvent({
      appId: fake.app.appId,
      chatId: "oc_chat1",
      chatType: "group",
      senderOpenId: "ou_alice",
      text: "@_user_1 hello",
      mentions: [{ key: "@_user_1", openId: fake.app.botOpenId, name: fake.app.botName }],
    });
    const res = await fake.push(`${receiver.url}/events`, envelope, { encryptKey: ENCRYPT_KEY });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ ok: true });
    const got = receiver.received.at(-1);
    expect(got?.event_id).toBe(envelope.header.event_id);
    expect(JSON.parse(got?.message?.content ?? "")).toEqual({ text: "@_user_1 hello" });
    expect(got?.message?.mentions[0]?.id.open_id).toBe(fake.app.botOpenId);
    expect(got?.message?.create_time).toMatch(/^\d{13}$/);
  });

  it("a forged signature is rejected by the SDK", async () => {
    const before = receiver.received.length;
    const envelope = messageEvent({
      appId: fake.app.appId,
      chatId: "oc_chat1",
      chatType: "p2p",
      senderOpenId: "ou_alice",
      text: "forged",
    });
    const res = await fake.push(`${receiver.url}/events`, envelope, {
      encryptKey: ENCRYPT_KEY,
      forgeSignature: true,
    });
    expect(res.body).toBe("");
    expect(receiver.received.length).toBe(before);
  });

  it("answers an encrypted challenge", async () => {
    const body = challengeBody(VERIFICATION_TOKEN, "chal-123");
    const res = await fake.push(`${receiver.url}/events`, body, { encryptKey: ENCRYPT_KEY });
    expect(JSON.parse(res.body)).toEqual({ challenge: "chal-123" });
  });

  it("card.action.trigger reaches the handler and its toast comes back", async () => {
    const envelope = cardActionEvent({
      appId: fake.app.appId,
      operatorOpenId: "ou_bob",
      value: { k: "v1" },
      messageId: "om_card",
      chatId: "oc_chat1",
    });
    const res = await fake.push(`${receiver.url}/events`, envelope, { encryptKey: ENCRYPT_KEY });
    expect(JSON.parse(res.body)).toEqual({ toast: { type: "success", content: "got v1" } });
    expect(receiver.received.at(-1)?.context?.open_message_id).toBe("om_card");
  });

  it("legacy card callbacks carry Lark's exact body and a SHA-1 signature", async () => {
    const body = legacyCardAction({
      openId: "ou_x",
      messageId: "om_x",
      tenantKey: "t",
      token: "c-x",
      value: { k: "v" },
    });
    // Byte-for-byte the body of the reference SHA-1 vector.
    expect(JSON.stringify(body)).toBe(
      '{"open_id":"ou_x","open_message_id":"om_x","tenant_key":"t","token":"c-x","action":{"value":{"k":"v"},"tag":"button"}}',
    );
    const ok = await fake.push(`${receiver.url}/cards`, body, {
      legacyVerificationToken: VERIFICATION_TOKEN,
    });
    expect(JSON.parse(ok.body)).toEqual({ toast: { content: "legacy ok" } });
    const forged = await fake.push(`${receiver.url}/cards`, body, {
      legacyVerificationToken: VERIFICATION_TOKEN,
      forgeSignature: true,
    });
    expect(forged.body).toBe("");
  });

  it("pushWithRetries re-pushes slow answers and stops after a 200", async () => {
    const envelope = messageEvent({
      appId: fake.app.appId,
      chatId: "oc_chat1",
      chatType: "p2p",
      senderOpenId: "ou_alice",
      text: "retry",
    });
    const slow = await fake.pushWithRetries(`${receiver.url}/slow`, envelope, {
      retryDelaysMs: [10, 10],
      timeoutMs: 100,
    });
    expect(slow.map((r) => r.status)).toEqual([0, 0, 0]);
    const ok = await fake.pushWithRetries(`${receiver.url}/events`, envelope, {
      encryptKey: ENCRYPT_KEY,
      retryDelaysMs: [10, 10],
    });
    expect(ok.map((r) => r.status)).toEqual([200]);
    const again = await fake.pushWithRetries(`${receiver.url}/events`, envelope, {
      encryptKey: ENCRYPT_KEY,
      retryDelaysMs: [10],
      alwaysRedeliver: true,
    });
    expect(again.map((r) => r.status)).toEqual([200, 200]);
    const deliveries = receiver.received.filter((d) => d.event_id === envelope.header.event_id);
    expect(deliveries).toHaveLength(3);
  });
});
