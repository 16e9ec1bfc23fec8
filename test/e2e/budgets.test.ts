import { describe, expect, it } from "vitest";
import { createStore } from "../../src/store/create-store.js";
import type { FakeMessage } from "../kit/fake-lark.js";
import { messageText } from "../kit/fake-lark.js";
import { buttonValue } from "./card-helpers.js";
import { cardTitle } from "./chat-helpers.js";
import { useE2eKit, writeConfig } from "./e2e-kit.js";

/**
 * Budgets and limits from `larkgate.yaml` (issue 21), through the real gateway process: a
 * question over a limit never reaches the model, and the user is told which limit and when it
 * resets; `/usage` shows the counts; an expired chat answers its notice.
 */
describe("budgets and limits (e2e)", () => {
  let configPath = "";
  const configYaml = (k: typeof kit, reloadUserDay: number) => `
apps:
  main: { backend: openai, baseUrl: "${k.llm.url}", apiKey: "${k.llm.apiKey}", model: gpt-test }
bots:
  default:
    appId: ${k.lark.app.appId}
    appSecret: ${k.lark.app.appSecret}
    domain: ${k.lark.url}
    app: main
    limits:
      contact: the IT desk (oc_it)
      users:
        ou_quick: { perMinute: { user: 2 } }
        ou_tokens: { tokens: { userMonth: 100 } }
        ou_reload: { questions: { userDay: ${reloadUserDay} } }
        ou_regen: { questions: { userDay: 1 } }
      chats:
        oc_trial: { expires: 2020-01-31, expiredNotice: "The trial of this bot has ended." }
`;
  const kit = useE2eKit({
    chatPrefix: "bud",
    env(k) {
      configPath = writeConfig(configYaml(k, 1));
      return { CONFIG_FILE: configPath };
    },
  });

  async function ask(text: string, senderOpenId: string, chatId?: string): Promise<FakeMessage> {
    const event = kit.message(text, { senderOpenId, ...(chatId ? { chatId } : {}) });
    await kit.push(event);
    const [reply] = await kit.answersTo(event.event.message.message_id, { timeoutMs: 15_000 });
    return reply!;
  }

  /** The user's chat log once it holds `count` entries (a refusal is recorded after its card). */
  const chatLog = async (senderOpenId: string, count: number) => {
    const store = await createStore(kit.databaseUrl);
    try {
      for (let tries = 0; ; tries++) {
        const log = await store.listExchanges({ senderOpenId });
        if (log.length >= count || tries === 200) return log;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    } finally {
      await store.close();
    }
  };

  it("tells a user over the per-minute limit when to come back, without asking the model", async () => {
    await ask("one", "ou_quick");
    await ask("two", "ou_quick");
    const refused = await ask("three", "ou_quick");
    expect(cardTitle(refused)).toBe("Limit reached");
    expect(messageText(refused)).toMatch(
      /You have reached your requests per minute, so this question was not sent to the model\. It resets in \d+ seconds\./,
    );
    expect(messageText(refused)).toContain("For more, ask the IT desk (oc_it).");
    expect(kit.llm.requests).toHaveLength(2);
    // Someone else is not held up by it.
    await ask("mine", "ou_other");
    expect(kit.llm.requests).toHaveLength(3);
    // The refusal is in the chat log, with its reason, and not in the history.
    const log = await chatLog("ou_quick", 3);
    expect(log.map((e) => [e.question, e.status, e.error])).toEqual([
      ["one", "done", null],
      ["two", "done", null],
      ["three", "error", "limit:perMinute.user"],
    ]);
  });

  it("stops questions once a monthly token budget is used, and /usage shows it", async () => {
    kit.llm.script({ text: "a long answer", usage: { prompt_tokens: 80, completion_tokens: 40 } });
    const chatId = "oc_bud_tokens";
    await ask("spend it", "ou_tokens", chatId);
    const refused = await ask("and more", "ou_tokens", chatId);
    expect(cardTitle(refused)).toBe("Limit reached");
    expect(messageText(refused)).toContain("You have reached your tokens for this month");
    expect(messageText(refused)).toMatch(/It resets at \d{4}-\d{2}-01 00:00\./);
    expect(kit.llm.requests).toHaveLength(1);

    const usage = await ask("/usage", "ou_tokens", chatId);
    expect(cardTitle(usage)).toBe("Usage");
    expect(messageText(usage)).toMatch(/your tokens for this month: 120 of 100 used, resets at/);
  });

  it("a reload changes a limit without resetting what was counted", async () => {
    const chatId = "oc_bud_reload";
    await ask("first", "ou_reload", chatId);
    expect(cardTitle(await ask("second", "ou_reload", chatId))).toBe("Limit reached");
    writeConfig(configYaml(kit, 2), configPath);
    kit.gateway.child.kill("SIGHUP");
    await kit.gateway.waitForLog((l) => l.msg === "configuration reloaded");
    // Two a day now, one of them used: one more, then the card again.
    expect(cardTitle(await ask("third", "ou_reload", chatId))).not.toBe("Limit reached");
    const fourth = await ask("fourth", "ou_reload", chatId);
    expect(messageText(fourth)).toContain("You have reached your questions for today");
    expect(kit.llm.requests).toHaveLength(2);
  });

  it("counts a Regenerate as a question", async () => {
    const event = kit.message("answer me twice", { senderOpenId: "ou_regen" });
    await kit.push(event);
    const messageId = event.event.message.message_id;
    const [answer] = await kit.answersTo(messageId, { timeoutMs: 15_000 });
    await kit.push(
      kit.cardAction({
        value: buttonValue(answer!.card!.json, "Regenerate")!,
        messageId: answer!.messageId,
        chatId: event.event.message.chat_id,
        operator: "ou_regen",
      }),
      "card",
    );
    const replies = await kit.answersTo(messageId, { count: 2, timeoutMs: 15_000 });
    expect(cardTitle(replies[1]!)).toBe("Limit reached");
    expect(kit.llm.requests).toHaveLength(1);
  });

  it("answers the configured notice in an expired chat", async () => {
    const reply = await ask("hello?", "ou_alice", "oc_trial");
    expect(messageText(reply)).toBe("The trial of this bot has ended.");
    expect(kit.llm.requests).toHaveLength(0);
  });
});

describe("concurrency per bot (e2e)", () => {
  const kit = useE2eKit({
    chatPrefix: "conc",
    env(k) {
      const path = writeConfig(`
apps:
  small: { backend: openai, baseUrl: "${k.llm.url}", apiKey: "${k.llm.apiKey}", model: tiny-local }
bots:
  default:
    appId: ${k.lark.app.appId}
    appSecret: ${k.lark.app.appSecret}
    domain: ${k.lark.url}
    app: small
    limits: { concurrency: 1 }
`);
      return { CONFIG_FILE: path };
    },
  });

  it("with concurrency 1, answers two conversations one after the other, in order", async () => {
    const slow = { chunks: Array.from({ length: 20 }, (_, i) => `w${i} `), chunkDelayMs: 30 };
    kit.llm.script(slow);
    kit.llm.script(slow);
    const first = kit.message("first chat's question");
    const second = kit.message("second chat's question");
    await kit.push(first);
    await kit.push(second);
    for (const e of [first, second]) {
      await kit.answersTo(e.event.message.message_id, { card: true, timeoutMs: 15_000 });
      // Logged once recorded, just after the card closed.
      await kit.gateway.waitForLog(
        (l) => l.msg === "answered" && l.messageId === e.event.message.message_id,
      );
    }
    // What the gateway did, in the order it did it: the second answer began after the first
    // ended (without the cap, both run at once).
    const steps = kit.gateway.logs
      .filter((l) => l.msg === "answering" || l.msg === "answered")
      .map((l) => `${l.msg} ${l.messageId === first.event.message.message_id ? 1 : 2}`);
    expect(steps).toEqual(["answering 1", "answered 1", "answering 2", "answered 2"]);
  });
});
