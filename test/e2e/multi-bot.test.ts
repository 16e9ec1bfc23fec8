import { describe, expect, it } from "vitest";
import { runCli } from "../integration/cli/larkgate-cli.js";
import { type FakeApp, messageText } from "../kit/fake-lark.js";
import { tagsOf } from "./card-helpers.js";
import { useE2eKit, writeConfig } from "./e2e-kit.js";

/**
 * One deployment, several bots on several LLM apps (FastGPT's "publishing channels"): each bot
 * has its own Request URL and keys, and its app's own conversation semantics.
 */
describe("several bots and apps from a config file (e2e)", () => {
  let support: FakeApp;
  let hr: FakeApp;
  let coder: FakeApp;
  let configPath: string;

  const KEYS = { support: "support-encrypt", hr: "hr-encrypt", coder: "coder-encrypt" };

  function configYaml(withCoder: boolean, broken = false): string {
    const { lark, fastgpt, dify, llm } = kit;
    const coderBot = `
  coder:
    appId: ${coder.appId}
    appSecret: \${CODER_SECRET}
    encryptKey: ${KEYS.coder}
    domain: ${lark.url}
    app: coder`;
    return `${broken ? "apps: [this is: not valid\n" : ""}
apps:
  support: { backend: fastgpt, baseUrl: "${fastgpt.url}", apiKey: "\${FASTGPT_KEY}" }
  hr: { backend: dify, baseUrl: "${dify.url}", apiKey: "\${DIFY_KEY}" }
  coder: { backend: openai, baseUrl: "${llm.url}", apiKey: "\${LLM_KEY}", model: coder-model }
bots:
  support:
    appId: ${support.appId}
    appSecret: \${SUPPORT_SECRET}
    encryptKey: ${KEYS.support}
    domain: ${lark.url}
    app: support
    deny: { users: [ou_blocked] }
    chats:
      oc_support_vip: { app: hr }
  hr:
    appId: ${hr.appId}
    appSecret: \${HR_SECRET}
    encryptKey: ${KEYS.hr}
    domain: ${lark.url}
    groupTrigger: all
    app: hr${withCoder ? coderBot : ""}
`;
  }

  // Not reset between tests: they read the fakes' latest requests (`slice(-3)`, `at(-1)`), and
  // the FastGPT and Dify fakes keep their conversations for the whole file.
  const kit = useE2eKit({
    fakes: ["fastgpt", "dify", "llm"],
    resetEachTest: false,
    env({ lark, fastgpt, dify, llm }) {
      support = lark.app;
      hr = lark.addApp({ botName: "HR bot" });
      coder = lark.addApp({ botName: "Coder bot" });
      configPath = writeConfig(configYaml(false));
      return {
        CONFIG_FILE: configPath,
        FASTGPT_KEY: fastgpt.apiKey,
        DIFY_KEY: dify.apiKey,
        LLM_KEY: llm.apiKey,
        SUPPORT_SECRET: support.appSecret,
        HR_SECRET: hr.appSecret,
        CODER_SECRET: coder.appSecret,
      };
    },
  });

  const ask = async (
    bot: "support" | "hr" | "coder",
    app: FakeApp,
    text: string,
    chatId: string,
    url: string = bot,
  ) => {
    const event = kit.message(text, { appId: app.appId, chatId });
    const ack = await kit.push(event, `${url}/event`, { encryptKey: KEYS[bot] });
    return { ack, messageId: event.event.message.message_id };
  };
  const answerTo = async (messageId: string) =>
    (await kit.answersTo(messageId, { timeoutMs: 10_000 }))[0]!;

  it("answers each bot through its own Request URL with its own app", async () => {
    const a = await ask("support", support, "where is my parcel?", "oc_support_1");
    const b = await ask("hr", hr, "how many vacation days?", "oc_hr_1");
    expect(messageText(await answerTo(a.messageId))).toContain(
      "fastgpt echo #0: where is my parcel?",
    );
    expect(messageText(await answerTo(b.messageId))).toContain(
      "dify echo #0: how many vacation days?",
    );
    // Each answer was sent by its own Lark app.
    expect(kit.lark.messages.find((m) => m.replyTo === a.messageId)!.appId).toBe(support.appId);
    expect(kit.lark.messages.find((m) => m.replyTo === b.messageId)!.appId).toBe(hr.appId);
  });

  it("shows FastGPT's sources under the answer, collapsed", async () => {
    kit.fastgpt.script({
      text: "Parcels ship in 2 days.",
      citations: [
        { sourceName: "shipping-policy.pdf", q: "Parcels ship within two working days." },
      ],
    });
    const a = await ask("support", support, "when does it ship?", "oc_support_cite");
    const answer = await answerTo(a.messageId);
    expect(tagsOf(answer.card!.json)).toContain("collapsible_panel");
    expect(messageText(answer)).toMatch(/Sources \(1\)[\s\S]*shipping-policy\.pdf/);
  });

  it("shows Dify's moderated reply instead of the answer its output moderation caught", async () => {
    kit.dify.script({
      chunks: ["The secret ", "code is 1234."],
      replaceWith: "Sorry, I can't share that.",
    });
    const b = await ask("hr", hr, "what is the door code?", "oc_hr_moderated");
    const text = messageText(await answerTo(b.messageId));
    expect(text).toContain("Sorry, I can't share that.");
    expect(text).not.toContain("1234");
  });

  it("answers every group message for a bot set to groupTrigger: all, and only mentions otherwise", async () => {
    const group = (app: FakeApp, text: string) =>
      kit.message(text, { appId: app.appId, chatId: "oc_group_all", chatType: "group" });
    const toHr = group(hr, "no mention needed here");
    const toSupport = group(support, "no mention, no answer");
    await kit.push(toHr, "hr/event", { encryptKey: KEYS.hr });
    await kit.push(toSupport, "support/event", { encryptKey: KEYS.support });
    expect(messageText(await answerTo(toHr.event.message.message_id))).toContain(
      "no mention needed here",
    );
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(kit.lark.messages.some((m) => m.replyTo === toSupport.event.message.message_id)).toBe(
      false,
    );
  });

  it("routes a chat to its own app and stays silent for denied users", async () => {
    const vip = await ask("support", support, "vip question", "oc_support_vip");
    expect(messageText(await answerTo(vip.messageId))).toContain("dify echo #0: vip question");
    const event = kit.message("let me in", {
      appId: support.appId,
      chatId: "oc_support_2",
      senderOpenId: "ou_blocked",
    });
    expect((await kit.push(event, "support/event", { encryptKey: KEYS.support })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(kit.lark.messages.some((m) => m.replyTo === event.event.message.message_id)).toBe(false);
  });

  it("keeps the chat log that larkgate logs shows", async () => {
    const result = await runCli(["logs", "--database", kit.databaseUrl, "--bot", "hr", "--json"]);
    expect(result.code).toBe(0);
    const entries = result.stdout
      .trim()
      .split("\n")
      .map(
        (line) =>
          JSON.parse(line) as { botId: string; question: string; answer: string; model: string },
      );
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((e) => e.botId === "hr")).toBe(true);
    expect(
      entries.some(
        (e) => e.question === "how many vacation days?" && e.answer.includes("dify echo"),
      ),
    ).toBe(true);
    expect(entries[0]!.model).toMatch(/^dify:/);
  });

  it("never accepts one bot's push on another bot's URL", async () => {
    const wrongUrl = await ask("support", support, "sneaky", "oc_support_x", "hr");
    expect(wrongUrl.ack.status).toBeGreaterThanOrEqual(400);
    const unknown = await ask("support", support, "nobody", "oc_support_y", "nobody");
    expect(unknown.ack.status).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(
      kit.lark.messages.some(
        (m) => m.replyTo === wrongUrl.messageId || m.replyTo === unknown.messageId,
      ),
    ).toBe(false);
  });

  it("keeps FastGPT's chatId and Dify's conversation_id across turns, and renews both on Reset", async () => {
    for (const [bot, app] of [
      ["support", support],
      ["hr", hr],
    ] as const) {
      const chat = `oc_${bot}_memory`;
      await answerTo((await ask(bot, app, "first", chat)).messageId);
      const second = await answerTo((await ask(bot, app, "second", chat)).messageId);
      expect(messageText(second)).toMatch(/echo #1: second/);
      await answerTo((await ask(bot, app, "Reset", chat)).messageId);
      const fresh = await answerTo((await ask(bot, app, "third", chat)).messageId);
      expect(messageText(fresh)).toMatch(/echo #0: third/);
    }
    // Reset never reaches the backends: first and second share an id, third has a new one.
    const [first, second, third] = kit.fastgpt.requests.slice(-3).map((r) => r.body.chatId);
    expect(second).toBe(first);
    expect(third).not.toBe(first);
    const conversations = kit.dify.requests.slice(-3).map((r) => r.body.conversation_id);
    expect(conversations[0]).toBe("");
    expect(conversations[1]).not.toBe("");
    expect(conversations[2]).toBe(""); // after Reset Dify starts a new conversation
  });

  it("applies a new bot on SIGHUP and keeps the running config when the file is broken", async () => {
    writeConfig(configYaml(true), configPath);
    kit.gateway.child.kill("SIGHUP");
    await kit.gateway.waitForLog(
      (l) =>
        l.msg === "configuration reloaded" &&
        Array.isArray(l.bots) &&
        (l.bots as string[]).includes("coder"),
    );
    const c = await ask("coder", coder, "hello coder", "oc_coder_1");
    expect(c.ack.status).toBe(200);
    expect(messageText(await answerTo(c.messageId))).toContain("echo: hello coder");
    expect(kit.llm.requests.at(-1)!.body.model).toBe("coder-model");

    writeConfig(configYaml(true, true), configPath);
    kit.gateway.child.kill("SIGHUP");
    await kit.gateway.waitForLog((l) => typeof l.msg === "string" && /not reloaded/i.test(l.msg));
    const still = await ask("coder", coder, "still here?", "oc_coder_1");
    expect(messageText(await answerTo(still.messageId))).toContain("echo: still here?");
  });
});
