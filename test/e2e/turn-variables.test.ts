import { describe, expect, it } from "vitest";
import type { FakeApp } from "../kit/fake-lark.js";
import { CONTACT_SCOPE } from "../kit/fake-lark-directory-routes.js";
import { systemPromptOf } from "./chat-helpers.js";
import { useE2eKit, writeConfig } from "./e2e-kit.js";

/** The date in a zone as `YYYY-MM-DD`, the way the placeholders write it. */
const dateIn = (timeZone: string) =>
  new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(new Date());

/**
 * Apps that know who asks, where and when: the same `{{placeholders}}` fill FastGPT's
 * variables, Dify's inputs and an OpenAI-compatible app's system prompt, with names from
 * Lark's contact and chat APIs, and the ids where Lark will not say.
 */
describe("names, places and times as app variables (e2e)", () => {
  let kb: FakeApp;
  let hr: FakeApp;
  let chat: FakeApp;
  const VARS = `{ who: "{{sender.name}}", whoId: "{{sender.open_id}}", where: "{{chat.name}}", kind: "{{chat.type}}", bot: "{{bot.name}}", today: "{{date}}", zone: "{{timezone}}" }`;
  const kit = useE2eKit({
    fakes: ["llm", "fastgpt", "dify"],
    chatPrefix: "vars",
    env({ lark, llm, fastgpt, dify }) {
      kb = lark.app;
      hr = lark.addApp({ botName: "HR bot" });
      chat = lark.addApp({ botName: "Chat bot" });
      lark.addPerson("ou_alice", "Alice Liu");
      lark.addGroup("oc_vars_ops", "Ops room");
      const config = writeConfig(`
apps:
  kb: { backend: fastgpt, baseUrl: "${fastgpt.url}", apiKey: "\${FASTGPT_KEY}", timeZone: Asia/Shanghai, variables: ${VARS} }
  hr: { backend: dify, baseUrl: "${dify.url}", apiKey: "\${DIFY_KEY}", variables: ${VARS} }
  chat:
    backend: openai
    baseUrl: "${llm.url}"
    apiKey: "\${LLM_KEY}"
    model: gpt-4o-mini
    timeZone: America/New_York
    systemPrompt: "You help {{sender.name}} in {{chat.name}} ({{chat.type}}) on {{date}}; you are {{bot.name}}."
bots:
  kb: { appId: ${kb.appId}, appSecret: "\${KB_SECRET}", domain: "${lark.url}", app: kb }
  hr: { appId: ${hr.appId}, appSecret: "\${HR_SECRET}", domain: "${lark.url}", app: hr }
  chat: { appId: ${chat.appId}, appSecret: "\${CHAT_SECRET}", domain: "${lark.url}", app: chat }
`);
      return {
        CONFIG_FILE: config,
        FASTGPT_KEY: fastgpt.apiKey,
        DIFY_KEY: dify.apiKey,
        LLM_KEY: llm.apiKey,
        KB_SECRET: kb.appSecret,
        HR_SECRET: hr.appSecret,
        CHAT_SECRET: chat.appSecret,
      };
    },
  });

  const ask = async (bot: string, app: FakeApp, extra: Parameters<typeof kit.message>[1] = {}) => {
    const event = kit.message("hello", { appId: app.appId, ...extra });
    await kit.push(event, `${bot}/event`);
    await kit.answersTo(event.event.message.message_id, { timeoutMs: 10_000 });
  };
  const inGroup = (app: FakeApp) => ({
    chatType: "group" as const,
    chatId: "oc_vars_ops",
    mentions: [{ key: "@_user_1", openId: app.botOpenId, name: app.botName }],
    text: "@_user_1 hello",
  });

  it("sends FastGPT the sender's and the group's names, the bot's, and the date in the app's zone", async () => {
    const before = dateIn("Asia/Shanghai");
    await ask("kb", kb, inGroup(kb));
    const variables = kit.fastgpt.requests.at(-1)!.body.variables as Record<string, string>;
    expect(variables).toMatchObject({
      who: "Alice Liu",
      whoId: "ou_alice",
      where: "Ops room",
      kind: "group",
      bot: kb.botName,
      zone: "Asia/Shanghai",
      larkUserOpenId: "ou_alice",
    });
    expect([before, dateIn("Asia/Shanghai")]).toContain(variables.today);
  });

  it("sends Dify the same as inputs, in UTC when the app names no zone", async () => {
    await ask("hr", hr);
    const inputs = kit.dify.requests.at(-1)!.body.inputs as Record<string, string>;
    expect(inputs).toMatchObject({ who: "Alice Liu", kind: "p2p", bot: "HR bot", zone: "UTC" });
    // A p2p chat has no name of its own: its id stands in.
    expect(inputs.where).toMatch(/^oc_vars_/);
  });

  it("fills an OpenAI-compatible app's system prompt, and uses the open_id without the contact scope", async () => {
    kit.lark.revokeScope(chat.appId, CONTACT_SCOPE);
    const before = dateIn("America/New_York");
    await ask("chat", chat, { ...inGroup(chat), senderOpenId: "ou_dave" });
    const system = systemPromptOf(kit.llm.requests.at(-1)!);
    expect(system).toMatch(
      /^You help ou_dave in Ops room \(group\) on \d{4}-\d{2}-\d{2}; you are Chat bot\.$/,
    );
    expect([before, dateIn("America/New_York")]).toContain(system?.match(/\d{4}-\d{2}-\d{2}/)?.[0]);
  });
});
