import { describe, expect, it } from "vitest";
import { messageText } from "../kit/fake-lark.js";
import { buttonValue, isFinishedCard } from "./card-helpers.js";
import { repliesTo, useE2eKit } from "./e2e-kit.js";

/** The gateway with EVENT_MODE=websocket: no public URL, events over Lark's long connection. */
describe("long-connection mode (e2e)", () => {
  const kit = useE2eKit({
    fakes: ["llm", "longConnection"],
    chatPrefix: "ws",
    env: (k) => ({ ...k.defaultBotEnv(), EVENT_MODE: "websocket" }),
  });

  const health = async () =>
    (await (await fetch(`${kit.gateway.url}/healthz`)).json()) as {
      status: string;
      longConnections: Record<string, { state: string; reconnects: number }>;
    };

  it("answers an event received over the long connection and reports the connection", async () => {
    const question = kit.message("hello over ws");
    const pushed = await kit.ws.pushEvent(question);
    expect(pushed.ack.code).toBe(200);
    const [answer] = await kit.lark.waitForMessages(
      1,
      repliesTo(question.event.message.message_id),
    );
    await kit.lark.waitFor(() => messageText(answer!).includes("echo: hello over ws"));
    const status = await health();
    expect(status.status).toBe("ok");
    expect(status.longConnections.default!.state).toBe("connected");
  });

  it("acks at once while a slow LLM is still answering", async () => {
    kit.llm.script({ text: "slow answer", delayMs: 2000 });
    const question = kit.message("take your time");
    const pushed = await kit.ws.pushEvent(question);
    expect(pushed.ack.code).toBe(200);
    // The ack is back before the LLM has even answered.
    expect(kit.llm.requests.every((r) => !r.completed)).toBe(true);
    expect(kit.lark.messages.filter((m) => isFinishedCard(m))).toHaveLength(0);
    await kit.answersTo(question.event.message.message_id, { card: true, timeoutMs: 10_000 });
  });

  it("stops an answer whose question is recalled over the connection", async () => {
    kit.llm.script({ chunks: Array.from({ length: 200 }, (_, i) => `bit${i} `), chunkDelayMs: 30 });
    const question = kit.message("a long one", { chatId: "oc_ws_recall" });
    await kit.ws.pushEvent(question);
    await kit.lark.waitFor(() => kit.llm.requests[0]);
    const recall = kit.recall(question.event.message.message_id, "oc_ws_recall");
    expect((await kit.ws.pushEvent(recall)).ack.code).toBe(200);
    await kit.lark.waitFor(() => kit.llm.requests[0]!.closed);
    expect(kit.llm.requests[0]!.aborted).toBe(true);
    // Finished (stopped) before the next test resets the fakes under it.
    await kit.answersTo(question.event.message.message_id, { card: true });
  });

  it("reassembles a fragmented event", async () => {
    const question = kit.message(`fragmented ${"数据 ".repeat(300)}`);
    await kit.ws.pushEvent(question, { fragments: 3 });
    const [answer] = await kit.answersTo(question.event.message.message_id, { card: true });
    expect(messageText(answer!)).toContain("数据 数据");
  });

  it("answers a re-pushed event only once", async () => {
    kit.llm.script({ text: "once", delayMs: 300 });
    const question = kit.message("are you there?");
    // Lark re-pushes what it thinks was not acked: same event, possibly to another connection,
    // and the same message again under a new event id.
    await kit.ws.pushEvent(question);
    await kit.ws.pushEvent(question);
    await kit.ws.pushEvent({
      ...question,
      header: { ...question.header, event_id: `${question.header.event_id}-b` },
    });
    await kit.answersTo(question.event.message.message_id, { card: true });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(kit.lark.messages.filter(repliesTo(question.event.message.message_id))).toHaveLength(1);
    expect(kit.llm.requests).toHaveLength(1);
  });

  it("drives the toolbar from a card callback over the connection, toast in the ack", async () => {
    const question = kit.message("button test");
    await kit.ws.pushEvent(question);
    const [answer] = await kit.answersTo(question.event.message.message_id, { card: true });
    const value = buttonValue(answer!.card!.json, "New chat")!;
    const press = kit.cardAction({
      value,
      messageId: answer!.messageId,
      chatId: question.event.message.chat_id,
    });
    const pushed = await kit.ws.pushEvent(press);
    expect(pushed.ack.code).toBe(200);
    expect(pushed.ack.data).toMatchObject({
      toast: { content: expect.stringMatching(/new conversation/i) },
    });
  });

  it("answers a command with a card whose buttons work over the connection", async () => {
    const question = kit.message("/roles");
    await kit.ws.pushEvent(question);
    const [card] = await kit.answersTo(question.event.message.message_id);
    const press = kit.cardAction({
      value: buttonValue(card!.content, "Writing")!,
      messageId: card!.messageId,
      chatId: question.event.message.chat_id,
    });
    const pushed = await kit.ws.pushEvent(press);
    expect(pushed.ack.code).toBe(200);
    // The ack carries the card that replaces the pressed one: the topic's roles.
    expect(JSON.stringify(pushed.ack.data)).toContain("Translator");
    expect(kit.llm.requests).toHaveLength(0);
  });

  it("reconnects after the server drops the connection and keeps answering", async () => {
    const before = (await health()).longConnections.default!.reconnects;
    kit.ws.dropConnections({ abrupt: true });
    await kit.ws.waitForConnections(1, 15_000);
    const question = kit.message("still there after a drop?");
    // As Lark does: an event not acked within 3 s is pushed again. The SDK attaches its frame
    // listener a tick after the socket opens, so a frame right behind the handshake can be
    // missed; the re-push (deduplicated by the gateway) is what delivers it then.
    await kit.ws.pushWithRepush(question, {
      connectTimeoutMs: 15_000,
      repushAfterMs: 3000,
      times: 2,
    });
    await kit.lark.waitForMessages(1, repliesTo(question.event.message.message_id));
    await kit.gateway.waitForLog(
      (l) => typeof l.msg === "string" && /connected/i.test(l.msg) && l.botId === "default",
    );
    const after = await health();
    expect(after.longConnections.default!.state).toBe("connected");
    expect(after.longConnections.default!.reconnects).toBeGreaterThan(before);
  });
});
