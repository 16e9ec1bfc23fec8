import { describe, expect, it } from "vitest";
import { messageText } from "../kit/fake-lark.js";
import { challengeBody } from "../kit/lark-events.js";
import { isFinal } from "./card-helpers.js";
import { useE2eKit } from "./e2e-kit.js";

const ENCRYPT_KEY = "e2e-encrypt-key";
const TOKEN = "e2e-verification-token";

/**
 * The whole gateway, as `npm start` runs it, between a fake Lark Open Platform and a fake
 * OpenAI-compatible LLM: what a Lark user sees when they talk to the bot.
 */
describe("gateway over webhooks (e2e)", () => {
  const kit = useE2eKit({
    encryptKey: ENCRYPT_KEY,
    verificationToken: TOKEN,
    env: (k) => ({
      ...k.defaultBotEnv(),
      BOT_NAME: "larkgate-e2e",
      OPENAI_MODEL: "fake-model",
      SYSTEM_PROMPT: "You are a test bot.",
    }),
  });
  // One chat unless a test names another: these tests share Alice's p2p history.
  const p2p = (text: string, extra: Parameters<typeof kit.message>[1] = {}) =>
    kit.message(text, { chatId: "oc_p2p_alice", ...extra });
  /** The history the LLM received on its n-th call (system prompt excluded). */
  const historyOf = (call: number) =>
    (kit.llm.requests[call]!.body.messages as Array<{ role: string; content: string }>).filter(
      (m) => m.role !== "system",
    );

  it("answers /ping like czlchat-feishu", async () => {
    const response = await fetch(`${kit.gateway.url}/ping`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("pong");
  });

  it("answers the URL verification challenge, plain and encrypted", async () => {
    const plain = await kit.lark.push(kit.webhookUrl(), challengeBody(TOKEN, "plain-challenge"), {
      sign: false,
    });
    expect(plain.status).toBe(200);
    expect(JSON.parse(plain.body)).toEqual({ challenge: "plain-challenge" });

    const encrypted = await kit.lark.push(kit.webhookUrl(), challengeBody(TOKEN, "enc-challenge"), {
      encryptKey: ENCRYPT_KEY,
      sign: false,
    });
    expect(JSON.parse(encrypted.body)).toEqual({ challenge: "enc-challenge" });

    const wrongToken = await kit.lark.push(kit.webhookUrl(), challengeBody("not-the-token", "x"), {
      sign: false,
    });
    expect(wrongToken.status).toBe(401);
  });

  it("answers an encrypted p2p question with the LLM's answer, as a reply to it", async () => {
    kit.llm.script({ text: "Paris is the capital of France." });
    const event = p2p("What is the capital of France?");
    const ack = await kit.push(event);
    expect(ack.status).toBe(200);

    const [answer] = await kit.answersTo(event.event.message.message_id);
    expect(messageText(answer!)).toContain("Paris is the capital of France.");
    const sent = historyOf(0);
    expect(sent.at(-1)).toEqual({ role: "user", content: "What is the capital of France?" });
    expect(kit.llm.requests[0]!.body.messages[0]).toEqual({
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
    expect((await kit.push(late)).status).toBe(200);
    await kit.gateway.waitForLog(
      (l) =>
        l.msg === "ignored: message too old to answer" &&
        l.messageId === late.event.message.message_id,
    );
    const fresh = p2p("asked just now", { chatId: "oc_p2p_late" });
    await kit.push(fresh);
    await kit.answersTo(fresh.event.message.message_id);
    // Only the fresh question reached the model, and the late one got no reply at all.
    expect(kit.llm.requests).toHaveLength(1);
    expect(historyOf(0).at(-1)).toEqual({ role: "user", content: "asked just now" });
    expect(kit.lark.messages.filter((m) => m.replyTo === late.event.message.message_id)).toEqual(
      [],
    );
  });

  it("reads the message a question replies to, so the model sees what 'this' is", async () => {
    const group = { chatId: "oc_group_quote", chatType: "group" as const };
    const bobs = kit.message("Deploy freeze starts Thursday 18:00 UTC", {
      ...group,
      senderOpenId: "ou_bob",
    });
    await kit.push(bobs); // no mention: not a question for the bot
    const question = kit.message("@_user_1 what does this mean for my release?", {
      ...group,
      senderOpenId: "ou_alice",
      mentions: [kit.botMention()],
      parentId: bobs.event.message.message_id,
      rootId: bobs.event.message.message_id,
    });
    await kit.push(question);
    await kit.answersTo(question.event.message.message_id);
    expect(kit.llm.requests).toHaveLength(1);
    expect(historyOf(0).at(-1)).toEqual({
      role: "user",
      content: "> Deploy freeze starts Thursday 18:00 UTC\n\nwhat does this mean for my release?",
    });
  });

  it("rejects a forged signature, logs it without the content, and never answers", async () => {
    const event = p2p("forged secret question 7781");
    const ack = await kit.lark.push(kit.webhookUrl(), event, {
      encryptKey: ENCRYPT_KEY,
      forgeSignature: true,
    });
    expect(ack.status).toBe(401);
    await kit.gateway.waitForLog((l) => l.msg === "webhook rejected" && l.code === "bad_signature");
    // An unencrypted body on an app with an encrypt key is not Lark either.
    const unsigned = await kit.lark.push(kit.webhookUrl(), event, { sign: false });
    expect(unsigned.status).toBeGreaterThanOrEqual(400);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(kit.lark.messages).toHaveLength(0);
    expect(kit.llm.requests).toHaveLength(0);
    expect(kit.gateway.output()).not.toContain("forged secret question 7781");
  });

  it("answers a re-delivered event once", async () => {
    const event = p2p("Say hi once");
    const acks = await kit.lark.pushWithRetries(kit.webhookUrl(), event, {
      encryptKey: ENCRYPT_KEY,
      retryDelaysMs: [20, 40, 60],
      alwaysRedeliver: true,
    });
    expect(acks.every((a) => a.status === 200)).toBe(true);
    // Lark also re-sends the same message under a new event id.
    await kit.push({
      ...event,
      header: { ...event.header, event_id: `${event.header.event_id}-again` },
    });
    await kit.answersTo(event.event.message.message_id);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const answers = kit.lark.messages.filter(
      (m) => m.replyTo === event.event.message.message_id && isFinal(m),
    );
    expect(answers).toHaveLength(1);
    expect(kit.llm.requests).toHaveLength(1);
  });

  it("in a group, answers only when the bot itself is mentioned", async () => {
    const group = { chatId: "oc_group_1", chatType: "group" as const };
    const quiet = kit.message("just chatting", group);
    const otherMention = kit.message("@_user_1 can you look?", {
      ...group,
      mentions: [{ key: "@_user_1", openId: "ou_bob", name: kit.lark.app.botName }],
    });
    const all = kit.message("@_all meeting at 3", group);
    const mentioned = kit.message("@_user_1 what is 2+2?", {
      ...group,
      mentions: [kit.botMention()],
    });
    for (const event of [quiet, otherMention, all, mentioned])
      expect((await kit.push(event)).status).toBe(200);

    const [answer] = await kit.answersTo(mentioned.event.message.message_id);
    expect(messageText(answer!)).toContain("what is 2+2?");
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(kit.lark.messages).toHaveLength(1);
    // The bot's own mention is not sent to the LLM.
    expect(historyOf(0).at(-1)!.content).toBe("what is 2+2?");
  });

  it("keeps separate histories for two users in one group, and for a topic thread", async () => {
    const inGroup = (sender: string, text: string, threadId?: string) =>
      kit.message(`@_user_1 ${text}`, {
        chatId: "oc_group_2",
        chatType: "group",
        senderOpenId: sender,
        mentions: [kit.botMention()],
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
      await kit.push(event);
      await kit.answersTo(event.event.message.message_id);
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
    const threadReplies = kit.lark.callsTo("/open-apis/im/v1/messages/:message_id/reply").slice(3);
    expect(threadReplies.every((c) => c.body.reply_in_thread === true)).toBe(true);
  });

  it("starts a new history on the exact text Reset, and only on that", async () => {
    const say = async (text: string) => {
      const event = p2p(text, { chatId: "oc_p2p_reset" });
      await kit.push(event);
      const [reply] = await kit.answersTo(event.event.message.message_id);
      return reply!;
    };
    await say("remember the number 42");
    await say("reset");
    expect(historyOf(1).map((m) => m.content)).toContain("remember the number 42");

    const confirmation = await say("Reset");
    expect(messageText(confirmation)).toMatch(/new conversation/i);
    expect(kit.llm.requests).toHaveLength(2);

    await say("what number?");
    expect(historyOf(2)).toEqual([{ role: "user", content: "what number?" }]);
  });

  it("replies with a short error and a reference id when the LLM fails", async () => {
    kit.llm.script({ status: 500, errorBody: { error: { message: "upstream exploded" } } });
    const event = p2p("this will fail", { chatId: "oc_p2p_err" });
    await kit.push(event);
    const [reply] = await kit.answersTo(event.event.message.message_id);
    const text = messageText(reply!);
    expect(text).toMatch(/Reference: [0-9a-f]{8}/);
    expect(text).not.toContain("upstream exploded");
    const ref = /Reference: ([0-9a-f]{8})/.exec(text)![1];
    await kit.gateway.waitForLog((l) => l.msg === "llm call failed" && l.ref === ref);
    // A failed exchange is not history: the next question goes alone.
    const again = p2p("try again", { chatId: "oc_p2p_err" });
    await kit.push(again);
    await kit.answersTo(again.event.message.message_id);
    expect(historyOf(1)).toEqual([{ role: "user", content: "try again" }]);
  });

  it("answers other message types with what is supported, and ignores other bots", async () => {
    const image = p2p("", {
      chatId: "oc_p2p_img",
      messageType: "image",
      content: { image_key: "img_v2_1" },
    });
    await kit.push(image);
    const [reply] = await kit.answersTo(image.event.message.message_id);
    expect(messageText(reply!)).toMatch(/text/i);
    const fromBot = p2p("I am another bot", {
      chatId: "oc_p2p_img",
      senderType: "app",
      senderOpenId: "ou_other_bot",
    });
    await kit.push(fromBot);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(kit.lark.messages).toHaveLength(1);
    expect(kit.llm.requests).toHaveLength(0);
  });

  it("never crashes on malformed events and keeps answering", async () => {
    const broken = p2p("x", { chatId: "oc_p2p_broken" });
    (broken.event.message as { content: string }).content = "{not json";
    expect((await kit.push(broken)).status).toBe(200);
    const garbage = await kit.push({ encrypt: "bm90IHJlYWxseSBjaXBoZXJ0ZXh0" });
    expect(garbage.status).toBe(400);
    const notJson = await fetch(kit.webhookUrl(), {
      method: "POST",
      body: "{{{",
      headers: { "content-type": "application/json" },
    });
    expect(notJson.status).toBe(400);
    const ok = p2p("still alive?", { chatId: "oc_p2p_broken" });
    await kit.push(ok);
    await kit.answersTo(ok.event.message.message_id);
  });

  it("continues the history after a restart", async () => {
    await kit.push(p2p("my name is Ada", { chatId: "oc_p2p_restart" }));
    await kit.lark.waitForMessages(1, isFinal);
    await kit.restart();
    const after = p2p("what is my name?", { chatId: "oc_p2p_restart" });
    await kit.push(after);
    await kit.answersTo(after.event.message.message_id);
    expect(historyOf(1).map((m) => m.content)).toEqual([
      "my name is Ada",
      "echo: my name is Ada",
      "what is my name?",
    ]);
  });
});
