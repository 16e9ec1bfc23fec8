import { describe, expect, it } from "vitest";
import { messageText } from "../kit/fake-lark.js";
import { chatWith } from "./chat-helpers.js";
import { useE2eKit } from "./e2e-kit.js";

const KEYS = ["sk-first-0123456789", "sk-second-0123456789"];

/** Feishu-OpenAI's `OPENAI_KEY=k1,k2`: a key that is rate limited does not cost an answer. */
describe("several OPENAI_KEY keys (e2e)", () => {
  const kit = useE2eKit({
    chatPrefix: "keys",
    llm: { apiKeys: KEYS },
    env: (k) => ({ ...k.defaultBotEnv(), OPENAI_KEY: KEYS.join(",") }),
  });
  const chat = chatWith(kit);

  it("answers with the second key when the first is answered 429", async () => {
    kit.llm.script({
      status: 429,
      errorBody: {
        error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded" },
      },
    });
    kit.llm.script({ text: "answered by the second key" });
    const { reply, chatId } = await chat.send("are you there?");
    expect(messageText(reply)).toContain("answered by the second key");
    expect(messageText(reply)).not.toMatch(/Sorry/);
    expect(kit.llm.requests.map((r) => r.apiKey)).toEqual(KEYS);

    // The rate-limited key rests: the next question goes to the second key at once.
    const { reply: next } = await chat.send("and again?", { chatId });
    expect(messageText(next)).toContain("echo: and again?");
    expect(kit.llm.requests.map((r) => r.apiKey)).toEqual([...KEYS, KEYS[1]]);
    // Keys are never logged, only their position.
    expect(kit.gateway.output()).not.toContain(KEYS[0]);
  });
});

/** Azure OpenAI with Feishu-OpenAI's variables, AZURE_ENDPOINT pointing at the fake. */
describe("Azure OpenAI from AZURE_ON and AZURE_* (e2e)", () => {
  const kit = useE2eKit({
    chatPrefix: "az",
    env: (k) => {
      const { OPENAI_KEY: _key, OPENAI_BASE_URL: _url, ...lark } = k.defaultBotEnv();
      return {
        ...lark,
        AZURE_ON: "true",
        AZURE_ENDPOINT: k.llm.azureEndpoint,
        AZURE_RESOURCE_NAME: "unused-when-an-endpoint-is-set",
        AZURE_DEPLOYMENT_NAME: "gpt-35-prod",
        AZURE_API_VERSION: "2024-10-21",
        AZURE_OPENAI_TOKEN: k.llm.apiKey,
      };
    },
  });
  const chat = chatWith(kit);

  it("answers through the deployment, with the api-key header and the api-version", async () => {
    kit.llm.script({ text: "hello from Azure" });
    const { reply } = await chat.send("hi Azure");
    expect(messageText(reply)).toContain("hello from Azure");
    const [request] = kit.llm.requests;
    expect(request!.path).toBe("/openai/deployments/gpt-35-prod/chat/completions");
    expect(request!.headers["api-key"]).toBe(kit.llm.apiKey);
    expect(request!.headers.authorization).toBeUndefined();
    expect(request!.query["api-version"]).toBe("2024-10-21");
    expect(request!.body.messages).toEqual([{ role: "user", content: "hi Azure" }]);
  });
});
