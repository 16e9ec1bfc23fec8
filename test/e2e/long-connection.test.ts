import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createFakeLark, type FakeLark, type FakeMessage, messageText } from "../kit/fake-lark.js";
import { attachFakeLarkWs } from "../kit/fake-lark-ws.js";
import type { FakeLarkWs } from "../kit/fake-lark-ws-types.js";
import { createFakeLlm, type FakeLlm } from "../kit/fake-llm.js";
import { cardActionEvent, messageEvent, messageRecalledEvent } from "../kit/lark-events.js";
import { buttonValue } from "./card-helpers.js";
import { type GatewayProcess, startGatewayProcess, tempDatabaseUrl } from "./gateway-process.js";

/** The gateway with EVENT_MODE=websocket: no public URL, events over Lark's long connection. */
describe("long-connection mode (e2e)", () => {
  let lark: FakeLark;
  let ws: FakeLarkWs;
  let llm: FakeLlm;
  let gateway: GatewayProcess;
  let n = 0;

  const event = (text: string, chatId = `oc_ws_${++n}`) =>
    messageEvent({
      appId: lark.app.appId,
      chatId,
      chatType: "p2p",
      senderOpenId: "ou_alice",
      text,
    });
  const repliesTo = (messageId: string) => (m: FakeMessage) => m.replyTo === messageId;
  const finished = (m: FakeMessage) => m.card?.streaming === false && m.card.fullUpdates.length > 0;
  const health = async () =>
    (await (await fetch(`${gateway.url}/healthz`)).json()) as {
      status: string;
      longConnections: Record<string, { state: string; reconnects: number }>;
    };

  beforeAll(async () => {
    lark = await createFakeLark();
    ws = attachFakeLarkWs(lark, { apps: [lark.app] });
    llm = await createFakeLlm();
    gateway = await startGatewayProcess({
      APP_ID: lark.app.appId,
      APP_SECRET: lark.app.appSecret,
      EVENT_MODE: "websocket",
      LARK_DOMAIN: lark.url,
      OPENAI_KEY: llm.apiKey,
      OPENAI_BASE_URL: llm.url,
      DATABASE_URL: tempDatabaseUrl(),
    });
    await ws.waitForConnections(1, 10_000);
  });

  afterAll(async () => {
    await gateway?.stop();
    await ws?.close();
    await llm?.close();
    await lark?.close();
  });

  beforeEach(() => {
    lark.reset();
    llm.reset();
  });

  it("answers an event received over the long connection and reports the connection", async () => {
    const question = event("hello over ws");
    const pushed = await ws.pushEvent(question);
    expect(pushed.ack.code).toBe(200);
    const [answer] = await lark.waitForMessages(1, repliesTo(question.event.message.message_id));
    await lark.waitFor(() => messageText(answer!).includes("echo: hello over ws"));
    const status = await health();
    expect(status.status).toBe("ok");
    expect(status.longConnections.default!.state).toBe("connected");
  });

  it("acks at once while a slow LLM is still answering", async () => {
    llm.script({ text: "slow answer", delayMs: 2000 });
    const question = event("take your time");
    const pushed = await ws.pushEvent(question);
    expect(pushed.ack.code).toBe(200);
    // The ack is back before the LLM has even answered.
    expect(llm.requests.every((r) => !r.completed)).toBe(true);
    expect(lark.messages.filter((m) => finished(m))).toHaveLength(0);
    await lark.waitForMessages(
      1,
      (m) => repliesTo(question.event.message.message_id)(m) && finished(m),
      10_000,
    );
  });

  it("stops an answer whose question is recalled over the connection", async () => {
    llm.script({ chunks: Array.from({ length: 200 }, (_, i) => `bit${i} `), chunkDelayMs: 30 });
    const question = event("a long one", "oc_ws_recall");
    await ws.pushEvent(question);
    await lark.waitFor(() => llm.requests[0]);
    const recall = messageRecalledEvent({
      appId: lark.app.appId,
      messageId: question.event.message.message_id,
      chatId: "oc_ws_recall",
    });
    expect((await ws.pushEvent(recall)).ack.code).toBe(200);
    await lark.waitFor(() => llm.requests[0]!.closed);
    expect(llm.requests[0]!.aborted).toBe(true);
    // Finished (stopped) before the next test resets the fakes under it.
    await lark.waitForMessages(
      1,
      (m) => repliesTo(question.event.message.message_id)(m) && finished(m),
    );
  });

  it("reassembles a fragmented event", async () => {
    const question = event(`fragmented ${"数据 ".repeat(300)}`);
    await ws.pushEvent(question, { fragments: 3 });
    const [answer] = await lark.waitForMessages(
      1,
      (m) => repliesTo(question.event.message.message_id)(m) && finished(m),
    );
    expect(messageText(answer!)).toContain("数据 数据");
  });

  it("answers a re-pushed event only once", async () => {
    llm.script({ text: "once", delayMs: 300 });
    const question = event("are you there?");
    // Lark re-pushes what it thinks was not acked: same event, possibly to another connection,
    // and the same message again under a new event id.
    await ws.pushEvent(question);
    await ws.pushEvent(question);
    await ws.pushEvent({
      ...question,
      header: { ...question.header, event_id: `${question.header.event_id}-b` },
    });
    await lark.waitForMessages(
      1,
      (m) => repliesTo(question.event.message.message_id)(m) && finished(m),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(lark.messages.filter(repliesTo(question.event.message.message_id))).toHaveLength(1);
    expect(llm.requests).toHaveLength(1);
  });

  it("drives the toolbar from a card callback over the connection, toast in the ack", async () => {
    const question = event("button test");
    await ws.pushEvent(question);
    const [answer] = await lark.waitForMessages(
      1,
      (m) => repliesTo(question.event.message.message_id)(m) && finished(m),
    );
    const value = buttonValue(answer!.card!.json, "New chat")!;
    const press = cardActionEvent({
      appId: lark.app.appId,
      operatorOpenId: "ou_alice",
      value,
      messageId: answer!.messageId,
      chatId: question.event.message.chat_id,
    });
    const pushed = await ws.pushEvent(press);
    expect(pushed.ack.code).toBe(200);
    expect(pushed.ack.data).toMatchObject({
      toast: { content: expect.stringMatching(/new conversation/i) },
    });
  });

  it("reconnects after the server drops the connection and keeps answering", async () => {
    const before = (await health()).longConnections.default!.reconnects;
    ws.dropConnections({ abrupt: true });
    await ws.waitForConnections(1, 15_000);
    const question = event("still there after a drop?");
    // As Lark does: an event not acked within 3 s is pushed again. The SDK attaches its frame
    // listener a tick after the socket opens, so a frame right behind the handshake can be
    // missed; the re-push (deduplicated by the gateway) is what delivers it then.
    await ws.pushWithRepush(question, { connectTimeoutMs: 15_000, repushAfterMs: 3000, times: 2 });
    await lark.waitForMessages(1, repliesTo(question.event.message.message_id));
    await gateway.waitForLog(
      (l) => typeof l.msg === "string" && /connected/i.test(l.msg) && l.botId === "default",
    );
    const after = await health();
    expect(after.longConnections.default!.state).toBe("connected");
    expect(after.longConnections.default!.reconnects).toBeGreaterThan(before);
  });
});
