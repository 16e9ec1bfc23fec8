import { describe, expect, it } from "vitest";
import type { FakeMessage } from "../kit/fake-lark.js";
import { messageText } from "../kit/fake-lark.js";
import { botAddedEvent, p2pChatCreateEvent } from "../kit/lark-events.js";
import { buttonValue } from "./card-helpers.js";
import { useE2eKit } from "./e2e-kit.js";

const TOKEN = "commands-token";

/** The header title of a command card. */
function title(message: FakeMessage): string {
  const card = message.content as { header?: { title?: { content?: string } } };
  return card.header?.title?.content ?? "";
}

/**
 * What a Feishu-OpenAI user types, answered by the gateway itself (never the model): the
 * commands, their cards and buttons, and the welcome. Through the real gateway process.
 */
describe("commands (e2e)", () => {
  const kit = useE2eKit({
    verificationToken: TOKEN,
    chatPrefix: "cmd",
    env: (k) => ({
      ...k.defaultBotEnv(),
      SYSTEM_PROMPT: "You are the default bot.",
      BOT_NAME: "Lark Helper",
    }),
  });

  /** Sends a message and waits for the one reply the gateway makes to it. */
  async function send(text: string, extra: Parameters<typeof kit.message>[1] = {}) {
    const event = kit.message(text, extra);
    await kit.push(event);
    const [reply] = await kit.answersTo(event.event.message.message_id);
    return { reply: reply!, chatId: event.event.message.chat_id };
  }
  /** Presses a button of a card and returns the ack body (toast and replacement card). */
  async function press(card: FakeMessage, label: string, operator?: string) {
    const value = buttonValue(card.content, label);
    expect(value, `a "${label}" button`).toBeDefined();
    const ack = await kit.push(
      kit.cardAction({ value: value!, messageId: card.messageId, chatId: card.chatId, operator }),
      "card",
    );
    expect(ack.status).toBe(200);
    return JSON.parse(ack.body) as {
      toast?: { content: string };
      card?: { data: { header: { title: { content: string } }; body: unknown } };
    };
  }
  /** The system prompt the model got on its last call. */
  const lastSystem = () =>
    (kit.llm.requests.at(-1)!.body.messages as Array<{ role: string; content: string }>).find(
      (m) => m.role === "system",
    )?.content;

  it("answers /help and 帮助 with a card of what this bot does, without asking the model", async () => {
    for (const word of ["/help", "帮助"]) {
      const { reply } = await send(word);
      expect(reply.msgType).toBe("interactive");
      expect(title(reply)).toBe("What I can do");
      const text = messageText(reply);
      expect(text).toContain("I answer with **default** (openai)");
      expect(text).toContain("`/system` / `角色扮演`");
      expect(buttonValue(reply.content, "Roles")).toBeDefined();
    }
    expect(kit.llm.requests).toHaveLength(0);
  });

  it("asks before /clear forgets, and forgets on Yes", async () => {
    const { chatId } = await send("remember the number 7");
    const { reply: confirm } = await send("/clear", { chatId });
    expect(title(confirm)).toBe("Forget this conversation?");
    const ack = await press(confirm, "Yes, forget it");
    expect(JSON.stringify(ack.card?.data.body)).toContain("Conversation cleared");
    await send("what was the number?", { chatId });
    const history = kit.llm.requests.at(-1)!.body.messages as Array<{ content: string }>;
    expect(history.map((m) => m.content)).not.toContain("remember the number 7");
  });

  it("keeps a /system role for the conversation, through Reset, until Back to default", async () => {
    const { reply: set, chatId } = await send("/system You are a pirate.");
    expect(title(set)).toBe("Role set");
    await send("hello", { chatId });
    expect(lastSystem()).toBe("You are a pirate.");
    await send("Reset", { chatId });
    await send("hello again", { chatId });
    expect(lastSystem()).toBe("You are a pirate.");
    await press(set, "Back to default");
    await send("and now?", { chatId });
    expect(lastSystem()).toBe("You are the default bot.");
  });

  it("picks a role from /roles by topic, and the next answer uses it", async () => {
    const { reply: tags, chatId } = await send("/roles");
    const topic = await press(tags, "Engineering");
    // The pressed card became the topic's roles; its buttons carry the role to pick.
    const reviewer = buttonValue(topic.card!.data, "Code reviewer");
    expect(reviewer).toBeDefined();
    await kit.push(kit.cardAction({ value: reviewer!, messageId: tags.messageId, chatId }), "card");
    await send("review this: x = 1", { chatId });
    expect(lastSystem()).toMatch(/senior engineer reviewing/);
  });

  it("refuses a group member's press on someone else's card", async () => {
    const group = {
      chatType: "group" as const,
      chatId: "oc_cmd_group",
      mentions: [kit.botMention()],
    };
    const { reply } = await send("@_user_1 /clear", group);
    const ack = await press(reply, "Yes, forget it", "ou_bob");
    expect(ack.toast?.content).toMatch(/someone else's conversation/);
    expect(ack.card).toBeUndefined();
  });

  it("shows /usage from the chat log", async () => {
    kit.llm.script({ text: "an answer", usage: { prompt_tokens: 30, completion_tokens: 12 } });
    const { chatId } = await send("count me");
    const { reply } = await send("余额", { chatId });
    expect(title(reply)).toBe("Usage");
    expect(messageText(reply)).toContain("This conversation: 1 answers, 42 tokens");
  });

  it("welcomes once when added to a group or when a p2p chat is opened", async () => {
    const added = botAddedEvent({ appId: kit.lark.app.appId, token: TOKEN, chatId: "oc_cmd_new" });
    await kit.push(added);
    await kit.push(added); // Lark's re-push: still one welcome
    const opened = p2pChatCreateEvent({
      appId: kit.lark.app.appId,
      token: TOKEN,
      chatId: "oc_cmd_dm",
    });
    await kit.push(opened);
    const sent = await kit.lark.waitForMessages(2, (m) => m.receiveIdType === "chat_id");
    expect(sent.map((m) => m.chatId).sort()).toEqual(["oc_cmd_dm", "oc_cmd_new"]);
    expect(messageText(sent[0]!)).toContain("Hi, I am Lark Helper");
    await kit.gateway.waitForLog((l) => l.msg === "chat opened" && l.chatId === "oc_cmd_new");
    expect(kit.lark.messages.filter((m) => m.chatId === "oc_cmd_new")).toHaveLength(1);
  });
});
