import { describe, expect, it } from "vitest";
import { messageText } from "../kit/fake-lark.js";
import { botAddedEvent } from "../kit/lark-events.js";
import { buttonLabels, cardTitle, chatWith, lastRequest } from "./chat-helpers.js";
import { useE2eKit } from "./e2e-kit.js";

/** The settings a Feishu-OpenAI user turns: no clear confirmation, no welcome, no models. */
describe("CONFIRM_CLEAR=off, WELCOME_MESSAGE empty, no OPENAI_MODELS (e2e)", () => {
  const kit = useE2eKit({
    chatPrefix: "set",
    env: (k) => ({ ...k.defaultBotEnv(), CONFIRM_CLEAR: "off", WELCOME_MESSAGE: "" }),
  });
  const chat = chatWith(kit);

  it("clears at once on /clear and 清除, with a notice", async () => {
    for (const word of ["/clear", "清除"]) {
      const { chatId } = await chat.send("remember the number 7");
      const { reply } = await chat.send(word, { chatId });
      expect(reply.msgType).not.toBe("interactive");
      expect(messageText(reply)).toBe("Conversation cleared. Earlier messages are forgotten.");
      await chat.send("what was the number?", { chatId });
      expect(lastRequest(kit).body.messages).toEqual([
        { role: "user", content: "what was the number?" },
      ]);
    }
  });

  it("sends no welcome when added to a group", async () => {
    await kit.push(botAddedEvent({ appId: kit.lark.app.appId, chatId: "oc_set_new" }));
    await kit.gateway.waitForLog((l) => l.msg === "welcome turned off");
    expect(kit.lark.messages.filter((m) => m.chatId === "oc_set_new")).toEqual([]);
  });

  it("says /model has nothing to pick from, without asking the model", async () => {
    for (const text of ["/model", "/model gpt-4o"]) {
      const { reply } = await chat.send(text);
      expect(messageText(reply)).toBe("This bot has no other models to choose from.");
    }
    expect(kit.llm.requests).toHaveLength(0);
  });
});

describe("/model and /ai_mode with OPENAI_MODELS and an app temperature (e2e)", () => {
  const kit = useE2eKit({
    chatPrefix: "mdl",
    env: (k) => ({
      ...k.defaultBotEnv(),
      OPENAI_MODEL: "m-a",
      OPENAI_MODELS: "m-a,m-b",
      OPENAI_TEMPERATURE: "0.7",
    }),
  });
  const chat = chatWith(kit);

  it("switches the conversation's model with /model m-b, and only that conversation's", async () => {
    const { reply: card, chatId } = await chat.send("/model");
    expect(cardTitle(card)).toBe("Model");
    expect(buttonLabels(card)).toEqual(["m-a", "m-b"]);
    const { reply } = await chat.send("/model m-b", { chatId });
    expect(messageText(reply)).toBe("Model set to **m-b** for this conversation.");
    await chat.send("which model are you?", { chatId });
    expect(lastRequest(kit).body.model).toBe("m-b");
    await chat.send("and you, in another chat?");
    expect(lastRequest(kit).body.model).toBe("m-a");
  });

  it("picks a model with the card's button", async () => {
    const { reply: card, chatId } = await chat.send("/model");
    await chat.press(card, "m-b");
    await chat.send("hello", { chatId });
    expect(lastRequest(kit).body.model).toBe("m-b");
  });

  it("refuses a model that is not in the list, naming the list", async () => {
    const { reply, chatId } = await chat.send("/model nope");
    expect(messageText(reply)).toBe("**nope** is not one of this bot's models: m-a, m-b.");
    await chat.send("hello", { chatId });
    expect(lastRequest(kit).body.model).toBe("m-a");
  });

  it("sends temperature 0.2 after Strict, and the app's 0.7 again after Standard", async () => {
    const { chatId } = await chat.send("warm up");
    expect(lastRequest(kit).body.temperature).toBe(0.7);
    const { reply: modes } = await chat.send("/ai_mode", { chatId });
    await chat.press(modes, "Strict");
    await chat.send("1 + 1?", { chatId });
    expect(lastRequest(kit).body.temperature).toBe(0.2);
    const { reply: again } = await chat.send("/ai_mode", { chatId });
    expect(messageText(again)).toContain("Now: **Strict**");
    await chat.press(again, "Standard");
    await chat.send("2 + 2?", { chatId });
    expect(lastRequest(kit).body.temperature).toBe(0.7);
  });
});
