import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createFakeLark, type FakeLark, type FakeMessage, messageText } from "../kit/fake-lark.js";
import { createFakeLlm, type FakeLlm } from "../kit/fake-llm.js";
import { challengeBody, messageEvent } from "../kit/lark-events.js";
import { isFinal } from "./card-helpers.js";
import { type GatewayProcess, startGatewayProcess, tempDatabaseUrl } from "./gateway-process.js";

const ENCRYPT_KEY = "e2e-encrypt-key";
const TOKEN = "e2e-verification-token";

/**
 * The whole gateway, as `npm start` runs it, between a fake Lark Open Platform and a fake
 * OpenAI-compatible LLM: what a Lark user sees when they talk to the bot.
 */
describe("gateway over webhooks (e2e)", () => {
  let lark: FakeLark;
  let llm: FakeLlm;
  let gateway: GatewayProcess;
  let databaseUrl: string;

  const env = () => ({
    APP_ID: lark.app.appId,
    APP_SECRET: lark.app.appSecret,
    APP_ENCRYPT_KEY: ENCRYPT_KEY,
    APP_VERIFICATION_TOKEN: TOKEN,
    BOT_NAME: "larkgate-e2e",
    LARK_DOMAIN: lark.url,
    OPENAI_KEY: llm.apiKey,
    OPENAI_BASE_URL: llm.url,
    OPENAI_MODEL: "fake-model",
    SYSTEM_PROMPT: "You are a test bot.",
    DATABASE_URL: databaseUrl,
  });
  const eventUrl = () => `${gateway.url}/webhook/event`;
  const push = (envelope: object) => lark.push(eventUrl(), envelope, { encryptKey: ENCRYPT_KEY });
  const bot = () => ({ key: "@_user_1", openId: lark.app.botOpenId, name: lark.app.botName });
  /** The finished answer (or notice) replying to the user's message. */
  const repliesTo = (messageId: string) => (m: FakeMessage) =>
    m.replyTo === messageId && isFinal(m);
  const p2p = (text: string, extra: Partial<Parameters<typeof messageEvent>[0]> = {}) =>
    messageEvent({
      appId: lark.app.appId,
      token: TOKEN,
      chatId: "oc_p2p_alice",
      chatType: "p2p",
      senderOpenId: "ou_alice",
      text,
      ...extra,
    });
  /** The history the LLM received on its n-th call (system prompt excluded). */
  const historyOf = (call: number) =>
    (llm.requests[call]!.body.messages as Array<{ role: string; content: string }>).filter(
      (m) => m.role !== "system",
    );

  beforeAll(async () => {
    lark = await createFakeLark();
    llm = await createFakeLlm();
    databaseUrl = tempDatabaseUrl();
    gateway = await startGatewayProcess(env());
  });

  afterAll(async () => {
    await gateway?.stop();
    await llm?.close();
    await lark?.close();
  });

  beforeEach(() => {
    lark.reset();
    llm.reset();
  });

  it("answers /ping like czlchat-feishu", async () => {
    const response = await fetch(`${gateway.url}/ping`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("pong");
  });

  it("answers the URL verification challenge, plain and encrypted", async () => {
    const plain = await lark.push(eventUrl(), challengeBody(TOKEN, "plain-challenge"), {
      sign: false,
    });
    expect(plain.status).toBe(200);
    expect(JSON.parse(plain.body)).toEqual({ challenge: "plain-challenge" });

    const encrypted = await lark.push(eventUrl(), challengeBody(TOKEN, "enc-challenge"), {
      encryptKey: ENCRYPT_KEY,
      sign: false,
    });
    expect(JSON.parse(encrypted.body)).toEqual({ challenge: "enc-challenge" });

    const wrongToken = await lark.push(eventUrl(), challengeBody("not-the-token", "x"), {
      sign: false,
    });
    expect(wrongToken.status).toBe(401);
  });

  it("answers an encrypted p2p question with the LLM's answer, as a reply to it", async () => {
    llm.script({ text: "Paris is the capital of France." });
    const event = p2p("What is the capital of France?");
    const ack = await push(event);
    expect(ack.status).toBe(200);

    const [answer] = await lark.waitForMessages(1, repliesTo(event.event.message.message_id));
    expect(messageText(answer!)).toContain("Paris is the capital of France.");
    const sent = historyOf(0);
    expect(sent.at(-1)).toEqual({ role: "user", content: "What is the capital of France?" });
    expect(llm.requests[0]!.body.messages[0]).toEqual({
      role: "system",
      content: "You are a test bot.",
    });
  });

  it("does not answer a message Lark re-pushes hours late, and answers the next one", async () => {
    const twoHoursAgo = String(Date.now() - 2 * 60 * 60 * 1000);
    const late = p2p("asked while the gateway was down", {
      chatId: "oc_p2p_late",
      createTime: twoHoursAgo,
    });
    expect((await push(late)).status).toBe(200);
    await gateway.waitForLog(
      (l) =>
        l.msg === "ignored: message too old to answer" &&
        l.messageId === late.event.message.message_id,
    );
    const fresh = p2p("asked just now", { chatId: "oc_p2p_late" });
    await push(fresh);
    await lark.waitForMessages(1, repliesTo(fresh.event.message.message_id));
    // Only the fresh question reached the model, and the late one got no reply at all.
    expect(llm.requests).toHaveLength(1);
    expect(historyOf(0).at(-1)).toEqual({ role: "user", content: "asked just now" });
    expect(lark.messages.filter((m) => m.replyTo === late.event.message.message_id)).toEqual([]);
  });

  it("reads the message a question replies to, so the model sees what 'this' is", async () => {
    const group = {
      appId: lark.app.appId,
      token: TOKEN,
      chatId: "oc_group_quote",
      chatType: "group" as const,
    };
    const bobs = messageEvent({
      ...group,
      senderOpenId: "ou_bob",
      text: "Deploy freeze starts Thursday 18:00 UTC",
    });
    await push(bobs); // no mention: not a question for the bot
    const question = messageEvent({
      ...group,
      senderOpenId: "ou_alice",
      text: "@_user_1 what does this mean for my release?",
      mentions: [bot()],
      parentId: bobs.event.message.message_id,
      rootId: bobs.event.message.message_id,
    });
    await push(question);
    await lark.waitForMessages(1, repliesTo(question.event.message.message_id));
    expect(llm.requests).toHaveLength(1);
    expect(historyOf(0).at(-1)).toEqual({
      role: "user",
      content: "> Deploy freeze starts Thursday 18:00 UTC\n\nwhat does this mean for my release?",
    });
  });

  it("rejects a forged signature, logs it without the content, and never answers", async () => {
    const event = p2p("forged secret question 7781");
    const ack = await lark.push(eventUrl(), event, {
      encryptKey: ENCRYPT_KEY,
      forgeSignature: true,
    });
    expect(ack.status).toBe(401);
    await gateway.waitForLog((l) => l.msg === "webhook rejected" && l.code === "bad_signature");
    // An unencrypted body on an app with an encrypt key is not Lark either.
    const unsigned = await lark.push(eventUrl(), event, { sign: false });
    expect(unsigned.status).toBeGreaterThanOrEqual(400);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(lark.messages).toHaveLength(0);
    expect(llm.requests).toHaveLength(0);
    expect(gateway.output()).not.toContain("forged secret question 7781");
  });

  it("answers a re-delivered event once", async () => {
    const event = p2p("Say hi once");
    const acks = await lark.pushWithRetries(eventUrl(), event, {
      encryptKey: ENCRYPT_KEY,
      retryDelaysMs: [20, 40, 60],
      alwaysRedeliver: true,
    });
    expect(acks.every((a) => a.status === 200)).toBe(true);
    // Lark also re-sends the same message under a new event id.
    await push({
      ...event,
      header: { ...event.header, event_id: `${event.header.event_id}-again` },
    });
    await lark.waitForMessages(1, repliesTo(event.event.message.message_id));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(lark.messages.filter(repliesTo(event.event.message.message_id))).toHaveLength(1);
    expect(llm.requests).toHaveLength(1);
  });

  it("in a group, answers only when the bot itself is mentioned", async () => {
    const group = {
      appId: lark.app.appId,
      token: TOKEN,
      chatId: "oc_group_1",
      chatType: "group" as const,
      senderOpenId: "ou_alice",
    };
    const quiet = messageEvent({ ...group, text: "just chatting" });
    const otherMention = messageEvent({
      ...group,
      text: "@_user_1 can you look?",
      mentions: [{ key: "@_user_1", openId: "ou_bob", name: lark.app.botName }],
    });
    const all = messageEvent({ ...group, text: "@_all meeting at 3" });
    const mentioned = messageEvent({ ...group, text: "@_user_1 what is 2+2?", mentions: [bot()] });
    for (const event of [quiet, otherMention, all, mentioned])
      expect((await push(event)).status).toBe(200);

    const [answer] = await lark.waitForMessages(1, repliesTo(mentioned.event.message.message_id));
    expect(messageText(answer!)).toContain("what is 2+2?");
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(lark.messages).toHaveLength(1);
    // The bot's own mention is not sent to the LLM.
    expect(historyOf(0).at(-1)!.content).toBe("what is 2+2?");
  });

  it("keeps separate histories for two users in one group, and for a topic thread", async () => {
    const inGroup = (sender: string, text: string, threadId?: string) =>
      messageEvent({
        appId: lark.app.appId,
        token: TOKEN,
        chatId: "oc_group_2",
        chatType: "group",
        senderOpenId: sender,
        text: `@_user_1 ${text}`,
        mentions: [bot()],
        ...(threadId ? { threadId, rootId: "om_root" } : {}),
      });
    const steps: Array<[string, string, string?]> = [
      ["ou_alice", "alice one"],
      ["ou_bob", "bob one"],
      ["ou_alice", "alice two"],
      ["ou_alice", "thread one", "omt_topic_1"],
      ["ou_bob", "thread two", "omt_topic_1"],
    ];
    for (const [sender, text, thread] of steps) {
      const event = inGroup(sender, text, thread);
      await push(event);
      await lark.waitForMessages(1, repliesTo(event.event.message.message_id));
    }
    const asked = (call: number) =>
      historyOf(call)
        .filter((m) => m.role === "user")
        .map((m) => m.content);
    expect(asked(2)).toEqual(["alice one", "alice two"]);
    expect(asked(1)).toEqual(["bob one"]);
    expect(asked(3)).toEqual(["thread one"]);
    expect(asked(4)).toEqual(["thread one", "thread two"]);
    // Answers to topic messages stay in the topic.
    const threadReplies = lark.callsTo("/open-apis/im/v1/messages/:message_id/reply").slice(3);
    expect(threadReplies.every((c) => c.body.reply_in_thread === true)).toBe(true);
  });

  it("starts a new history on the exact text Reset, and only on that", async () => {
    const say = async (text: string) => {
      const event = p2p(text, { chatId: "oc_p2p_reset" });
      await push(event);
      const [reply] = await lark.waitForMessages(1, repliesTo(event.event.message.message_id));
      return reply!;
    };
    await say("remember the number 42");
    await say("reset");
    expect(historyOf(1).map((m) => m.content)).toContain("remember the number 42");

    const confirmation = await say("Reset");
    expect(messageText(confirmation)).toMatch(/new conversation/i);
    expect(llm.requests).toHaveLength(2);

    await say("what number?");
    expect(historyOf(2)).toEqual([{ role: "user", content: "what number?" }]);
  });

  it("replies with a short error and a reference id when the LLM fails", async () => {
    llm.script({ status: 500, errorBody: { error: { message: "upstream exploded" } } });
    const event = p2p("this will fail", { chatId: "oc_p2p_err" });
    await push(event);
    const [reply] = await lark.waitForMessages(1, repliesTo(event.event.message.message_id));
    const text = messageText(reply!);
    expect(text).toMatch(/Reference: [0-9a-f]{8}/);
    expect(text).not.toContain("upstream exploded");
    const ref = /Reference: ([0-9a-f]{8})/.exec(text)![1];
    await gateway.waitForLog((l) => l.msg === "llm call failed" && l.ref === ref);
    // A failed exchange is not history: the next question goes alone.
    const again = p2p("try again", { chatId: "oc_p2p_err" });
    await push(again);
    await lark.waitForMessages(1, repliesTo(again.event.message.message_id));
    expect(historyOf(1)).toEqual([{ role: "user", content: "try again" }]);
  });

  it("answers other message types with what is supported, and ignores other bots", async () => {
    const image = p2p("", {
      chatId: "oc_p2p_img",
      messageType: "image",
      content: { image_key: "img_v2_1" },
    });
    await push(image);
    const [reply] = await lark.waitForMessages(1, repliesTo(image.event.message.message_id));
    expect(messageText(reply!)).toMatch(/text/i);
    const fromBot = p2p("I am another bot", {
      chatId: "oc_p2p_img",
      senderType: "app",
      senderOpenId: "ou_other_bot",
    });
    await push(fromBot);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(lark.messages).toHaveLength(1);
    expect(llm.requests).toHaveLength(0);
  });

  it("never crashes on malformed events and keeps answering", async () => {
    const broken = p2p("x", { chatId: "oc_p2p_broken" });
    (broken.event.message as { content: string }).content = "{not json";
    expect((await push(broken)).status).toBe(200);
    const garbage = await lark.push(
      eventUrl(),
      { encrypt: "bm90IHJlYWxseSBjaXBoZXJ0ZXh0" },
      { encryptKey: ENCRYPT_KEY },
    );
    expect(garbage.status).toBe(400);
    const notJson = await fetch(eventUrl(), {
      method: "POST",
      body: "{{{",
      headers: { "content-type": "application/json" },
    });
    expect(notJson.status).toBe(400);
    const ok = p2p("still alive?", { chatId: "oc_p2p_broken" });
    await push(ok);
    await lark.waitForMessages(1, repliesTo(ok.event.message.message_id));
  });

  it("continues the history after a restart", async () => {
    await push(p2p("my name is Ada", { chatId: "oc_p2p_restart" }));
    await lark.waitForMessages(1, isFinal);
    await gateway.stop();
    gateway = await startGatewayProcess(env());
    const after = p2p("what is my name?", { chatId: "oc_p2p_restart" });
    await push(after);
    await lark.waitForMessages(1, repliesTo(after.event.message.message_id));
    expect(historyOf(1).map((m) => m.content)).toEqual([
      "my name is Ada",
      "echo: my name is Ada",
      "what is my name?",
    ]);
  });
});
