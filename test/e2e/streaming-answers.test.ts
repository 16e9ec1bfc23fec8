import { describe, expect, it } from "vitest";
import { messageText } from "../kit/fake-lark.js";
import { legacyCardAction } from "../kit/lark-events.js";
import { buttonValue, cardOf, isFinishedCard, lastSettings, tagsOf } from "./card-helpers.js";
import { repliesTo, useE2eKit } from "./e2e-kit.js";

const ENCRYPT_KEY = "stream-encrypt-key";
const TOKEN = "stream-token";

/** What users see of an answer: typewriter streaming, the toolbar, long answers, fallbacks. */
describe("streaming answers in cards (e2e)", () => {
  const kit = useE2eKit({
    encryptKey: ENCRYPT_KEY,
    verificationToken: TOKEN,
    chatPrefix: "stream",
    env: (k) => ({ ...k.defaultBotEnv(), OPENAI_MODEL: "fake-model" }),
  });

  const ask = async (text: string, chatId?: string) => {
    const event = kit.message(text, { chatId });
    expect((await kit.push(event)).status).toBe(200);
    return { messageId: event.event.message.message_id, chatId: event.event.message.chat_id };
  };
  const press = (
    value: Record<string, unknown>,
    opts: { operator?: string; messageId: string; chatId: string },
  ) => kit.push(kit.cardAction({ value, ...opts }), "card");

  it("streams a growing answer into a CardKit card and closes it with a summary", async () => {
    const words = Array.from({ length: 40 }, (_, i) => `word${i} `);
    kit.llm.script({ chunks: words, chunkDelayMs: 25 });
    const { messageId } = await ask("stream please");
    const [answer] = await kit.answersTo(messageId, { card: true, timeoutMs: 10_000 });
    const card = answer!.card!;
    const updates = card.contentUpdates.map((u) => u.content);
    expect(updates.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < updates.length; i++) {
      expect(updates[i]!.length).toBeGreaterThanOrEqual(updates[i - 1]!.length);
    }
    const settings = lastSettings(card) as {
      config: { streaming_mode: boolean; summary: { content: string } };
    };
    expect(settings.config.streaming_mode).toBe(false);
    expect(settings.config.summary.content).toMatch(/^word0 word1/);
    expect(messageText(answer!)).toContain(words.join("").trim());
    // Model and elapsed time in the footer, Regenerate and New chat under the answer.
    expect(messageText(answer!)).toMatch(/fake-model · \d+\.\ds/);
    expect(buttonValue(card.json, "Regenerate")).toBeDefined();
    expect(buttonValue(card.json, "Stop")).toBeUndefined();
    // The typing reaction came and went.
    expect(
      kit.lark.reactions.filter((r) => r.messageId === messageId && r.emojiType === "Typing"),
    ).toHaveLength(1);
    // Removed after the final card (best effort, so it may land a moment later).
    await kit.lark.waitFor(() => kit.lark.reactions.every((r) => r.deleted));
  });

  it("asks the model while the card is still being created, and loses none of its early text", async () => {
    // Lark slow to create the card: the model should not wait for it.
    kit.lark.inject({ path: "/open-apis/cardkit/v1/cards", method: "POST", delayMs: 400 });
    kit.llm.script({ chunks: ["Early words, ", "then ", "the rest."], chunkDelayMs: 40 });
    const { messageId } = await ask("quick question");
    const [answer] = await kit.answersTo(messageId, { card: true });
    const reply = kit.lark
      .callsTo("/open-apis/im/v1/messages/:message_id/reply", "POST")
      .find((c) => c.params.message_id === messageId);
    // The card is only sent (replied) once it exists; the model was asked before that.
    expect(kit.llm.requests).toHaveLength(1);
    expect(kit.llm.requests[0]!.at).toBeLessThan(reply!.at);
    expect(messageText(answer!)).toContain("Early words, then the rest.");
  });

  it("renders a markdown table as a native table component", async () => {
    kit.llm.script({
      text: "Here:\n\n| Name | Score |\n| :--- | ---: |\n| 张三 | 90 |\n| Bob | 85 |\n\nDone.",
    });
    const { messageId } = await ask("table please");
    const [answer] = await kit.answersTo(messageId, { card: true });
    expect(tagsOf(cardOf(answer!))).toContain("table");
    expect(messageText(answer!)).toMatch(/张三 \| 90/);
  });

  it("stops mid-stream on Stop, keeps the partial text, and aborts the LLM call", async () => {
    kit.llm.script({
      chunks: Array.from({ length: 200 }, (_, i) => `part${i} `),
      chunkDelayMs: 30,
    });
    const { messageId, chatId } = await ask("a long story");
    const [live] = await kit.lark.waitForMessages(
      1,
      (m) => repliesTo(messageId)(m) && (m.card?.contentUpdates.length ?? 0) > 0,
    );
    const stop = buttonValue(live!.card!.json, "Stop");
    expect(stop).toBeDefined();
    const ack = await press(stop!, { messageId: live!.messageId, chatId });
    expect(JSON.parse(ack.body).toast.content).toMatch(/stopping/i);
    await kit.lark.waitFor(() => isFinishedCard(live!));
    const text = messageText(live!);
    expect(text).toContain("part0");
    expect(text).not.toContain("part199");
    expect(text).toMatch(/stopped/i);
    await kit.lark.waitFor(() => kit.llm.requests[0]!.closed);
    expect(kit.llm.requests[0]!.aborted).toBe(true);
  });

  it("stops the answer when its question is recalled, and never starts one queued behind", async () => {
    kit.llm.script({
      chunks: Array.from({ length: 200 }, (_, i) => `part${i} `),
      chunkDelayMs: 30,
    });
    const first = await ask("a long story");
    const [live] = await kit.lark.waitForMessages(
      1,
      (m) => repliesTo(first.messageId)(m) && (m.card?.contentUpdates.length ?? 0) > 0,
    );
    // A second question waits for the first: one turn at a time per conversation.
    const second = await ask("and another one", first.chatId);
    const recall = (messageId: string) => kit.push(kit.recall(messageId, first.chatId));
    expect((await recall(second.messageId)).status).toBe(200);
    expect((await recall(first.messageId)).status).toBe(200);

    await kit.lark.waitFor(() => isFinishedCard(live!));
    expect(messageText(live!)).not.toContain("part199");
    expect(messageText(live!)).toMatch(/stopped/i);
    await kit.lark.waitFor(() => kit.llm.requests[0]!.closed);
    expect(kit.llm.requests[0]!.aborted).toBe(true);
    await kit.gateway.waitForLog(
      (l) =>
        l.msg === "ignored: the message was recalled before its turn" &&
        l.messageId === second.messageId,
    );
    expect(kit.llm.requests).toHaveLength(1);
    expect(kit.lark.messages.filter(repliesTo(second.messageId))).toEqual([]);
  });

  it("does not regenerate the answer to a recalled question", async () => {
    kit.llm.script({ text: "first answer" });
    const { messageId, chatId } = await ask("soon to be recalled");
    const [first] = await kit.answersTo(messageId, { card: true });
    expect((await kit.push(kit.recall(messageId, chatId))).status).toBe(200);
    await press(buttonValue(first!.card!.json, "Regenerate")!, {
      messageId: first!.messageId,
      chatId,
    });
    await kit.gateway.waitForLog(
      (l) =>
        l.msg === "regenerate: the question was recalled; nothing to answer" &&
        l.messageId === messageId,
    );
    expect(kit.llm.requests).toHaveLength(1);
    expect(kit.lark.messages.filter(repliesTo(messageId))).toHaveLength(1);
  });

  it("regenerates an answer in a new card and replaces it in the history", async () => {
    kit.llm.script({ text: "first answer" });
    const { messageId, chatId } = await ask("question one");
    const [first] = await kit.answersTo(messageId, { card: true });
    kit.llm.script({ text: "second answer" });
    const ack = await press(buttonValue(first!.card!.json, "Regenerate")!, {
      messageId: first!.messageId,
      chatId,
    });
    expect(JSON.parse(ack.body).toast.content).toMatch(/regenerat/i);
    const answers = await kit.answersTo(messageId, { count: 2, card: true });
    expect(messageText(answers[1]!)).toContain("second answer");
    const regenerated = kit.llm.requests[1]!.body.messages as Array<{ content: string }>;
    expect(regenerated.map((m) => m.content)).not.toContain("first answer");

    const two = await ask("question two", chatId);
    // The answer must be complete before the next test resets the fakes under it.
    await kit.answersTo(two.messageId, { card: true });
    const history = (kit.llm.requests[2]!.body.messages as Array<{ content: string }>).map(
      (m) => m.content,
    );
    expect(history).toEqual(["question one", "second answer", "question two"]);
  });

  it("starts a new chat from the toolbar, and refuses other users' presses politely", async () => {
    const group = { chatId: "oc_group_toolbar", chatType: "group" as const };
    /** Alice's group message, mentioning the bot. */
    const aliceAsks = (text: string) =>
      kit.message(`@_user_1 ${text}`, { ...group, mentions: [kit.botMention()] });
    const event = aliceAsks("remember 7");
    await kit.push(event);
    const [answer] = await kit.answersTo(event.event.message.message_id, { card: true });
    const newChat = buttonValue(answer!.card!.json, "New chat")!;

    const intruder = await press(newChat, {
      operator: "ou_mallory",
      messageId: answer!.messageId,
      chatId: group.chatId,
    });
    expect(JSON.parse(intruder.body).toast.content).toMatch(/someone else/i);
    const regenerateByIntruder = await press(buttonValue(answer!.card!.json, "Regenerate")!, {
      operator: "ou_mallory",
      messageId: answer!.messageId,
      chatId: group.chatId,
    });
    expect(JSON.parse(regenerateByIntruder.body).toast.content).toMatch(/someone else/i);

    const own = await press(newChat, { messageId: answer!.messageId, chatId: group.chatId });
    expect(JSON.parse(own.body).toast.content).toMatch(/new conversation/i);
    const next = aliceAsks("what number?");
    await kit.push(next);
    await kit.answersTo(next.event.message.message_id, { card: true });
    expect(
      (kit.llm.requests[1]!.body.messages as Array<{ content: string }>).map((m) => m.content),
    ).toEqual(["what number?"]);
    expect(kit.llm.requests).toHaveLength(2); // the intruder's Regenerate did nothing
  });

  it("accepts the legacy card callback format for the toolbar", async () => {
    kit.llm.script({ text: "legacy first" });
    const { messageId, chatId } = await ask("legacy question");
    const [first] = await kit.answersTo(messageId, { card: true });
    const value = buttonValue(first!.card!.json, "New chat")!;
    const ack = await kit.lark.push(
      kit.webhookUrl("card"),
      legacyCardAction({ openId: "ou_alice", messageId: first!.messageId, chatId, value }),
      { legacyVerificationToken: TOKEN },
    );
    expect(ack.status).toBe(200);
    expect(JSON.parse(ack.body).toast.content).toMatch(/new conversation/i);
  });

  it("rolls a 40 KB answer over into follow-up cards without losing text", async () => {
    const paragraphs = Array.from(
      { length: 200 },
      (_, i) => `Paragraph ${i}: ${"lorem ipsum dolor sit amet ".repeat(7)}`,
    );
    kit.llm.script({ text: paragraphs.join("\n\n"), chunks: undefined });
    const { messageId } = await ask("write a lot");
    await kit.lark.waitFor(() => {
      const cards = kit.lark.messages.filter(repliesTo(messageId));
      return (
        cards.length >= 2 &&
        cards.every(isFinishedCard) &&
        messageText(cards.at(-1)!).includes("Paragraph 199")
      );
    }, 20_000);
    const cards = kit.lark.messages.filter(repliesTo(messageId));
    const all = cards.map(messageText).join("\n");
    for (const i of [0, 57, 123, 199]) expect(all).toContain(`Paragraph ${i}:`);
    for (const card of cards)
      expect(Buffer.byteLength(JSON.stringify(card.card!.json))).toBeLessThan(30 * 1024);
  });

  it("cuts a runaway answer at 100,000 characters, says so, and stops the model", async () => {
    // 2 MB of numbered lines: without a cap, some 70 cards in a row.
    const lines = Array.from({ length: 4_000 }, (_, i) => `line ${i} ${"z".repeat(500)}\n`);
    kit.llm.script({ chunks: lines });
    const { messageId } = await ask("never stop");
    await kit.lark.waitFor(() => {
      const cards = kit.lark.messages.filter(repliesTo(messageId));
      return (
        cards.length > 0 &&
        cards.every(isFinishedCard) &&
        /100,000/.test(messageText(cards.at(-1)!))
      );
    }, 30_000);
    const cards = kit.lark.messages.filter(repliesTo(messageId));
    const all = cards.map(messageText).join("\n");
    expect(cards.length).toBeLessThanOrEqual(6);
    expect(all).toContain("line 0 ");
    expect(all).toContain("line 190 ");
    expect(all).not.toContain("line 3999 ");
    expect(messageText(cards.at(-1)!)).toMatch(/went past 100,000 characters/);
    const request = kit.llm.requests.at(-1)!;
    await kit.lark.waitFor(() => request.closed, 5_000);
    expect(request.completed).toBe(false);
  });

  it("retries a rate-limited update and still shows the complete final text", async () => {
    kit.lark.inject({
      path: "/open-apis/cardkit/v1/cards/:card_id/elements/:element_id/content",
      code: 99991400,
      times: 3,
      headers: { "x-ogw-ratelimit-reset": "0" },
    });
    kit.lark.inject({
      path: "/open-apis/cardkit/v1/cards/:card_id",
      method: "PUT",
      code: 99991400,
      times: 1,
      headers: { "x-ogw-ratelimit-reset": "0" },
    });
    kit.llm.script({ chunks: Array.from({ length: 30 }, (_, i) => `t${i} `), chunkDelayMs: 10 });
    const { messageId } = await ask("rate limit me");
    const [answer] = await kit.answersTo(messageId, { card: true, timeoutMs: 10_000 });
    await kit.lark.waitFor(() => messageText(answer!).includes("t29"));
    expect(kit.lark.calls.some((c) => c.code === 99991400)).toBe(true);
  });

  it("puts reasoning in a collapsed panel and never back into the history", async () => {
    kit.llm.script({ reasoning: "secret chain of thought", text: "The answer is 4." });
    const { messageId, chatId } = await ask("2+2?");
    const [answer] = await kit.answersTo(messageId, { card: true });
    expect(tagsOf(cardOf(answer!))).toContain("collapsible_panel");
    expect(messageText(answer!)).toContain("secret chain of thought");
    const next = await ask("and 3+3?", chatId);
    await kit.answersTo(next.messageId, { card: true });
    expect(JSON.stringify(kit.llm.requests[1]!.body.messages)).not.toContain(
      "secret chain of thought",
    );
  });
});

describe("answer delivery falls back when a scope is missing (e2e)", () => {
  // One test, against the fakes as the gateway's start-up left them.
  const kit = useE2eKit({ resetEachTest: false });

  const ask = async (text: string) => {
    const event = kit.message(text, { chatId: "oc_fallback" });
    await kit.push(event);
    return event.event.message.message_id;
  };

  it("uses PATCHed cards without cardkit:card:write, then one final message without PATCH, and remembers", async () => {
    kit.lark.revokeScope(kit.lark.app.appId, "cardkit:card:write");
    kit.llm.script({ chunks: Array.from({ length: 20 }, (_, i) => `p${i} `), chunkDelayMs: 60 });
    const first = await ask("no cardkit");
    await kit.lark.waitFor(() => {
      const m = kit.lark.messages.find((x) => x.replyTo === first);
      return m && messageText(m).includes("p19") && m.updates.length >= 2;
    }, 10_000);
    const patched = kit.lark.messages.find((x) => x.replyTo === first)!;
    expect(patched.card).toBeUndefined();
    expect(
      kit.lark.callsTo("/open-apis/im/v1/messages/:message_id", "PATCH").length,
    ).toBeGreaterThanOrEqual(2);
    const cardkitCalls = kit.lark.callsTo("/open-apis/cardkit/v1/cards", "POST").length;
    expect(cardkitCalls).toBe(1); // tried once, then remembered

    kit.lark.revokeScope(kit.lark.app.appId, "im:message:update");
    const second = await ask("no patch either");
    await kit.lark.waitFor(() =>
      kit.lark.messages.some(
        (x) => x.replyTo === second && messageText(x).includes("echo: no patch either"),
      ),
    );
    const third = await ask("and again");
    await kit.lark.waitFor(() =>
      kit.lark.messages.some(
        (x) => x.replyTo === third && messageText(x).includes("echo: and again"),
      ),
    );
    // Cardkit is not retried; after PATCH failed once, answers arrive as one final message.
    expect(kit.lark.callsTo("/open-apis/cardkit/v1/cards", "POST")).toHaveLength(cardkitCalls);
    const thirdReplies = kit.lark.messages.filter((x) => x.replyTo === third);
    expect(thirdReplies).toHaveLength(1);
    expect(thirdReplies[0]!.updates).toHaveLength(0);
  });
});
