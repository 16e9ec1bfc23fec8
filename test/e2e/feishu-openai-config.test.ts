import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { messageText } from "../kit/fake-lark.js";
import { botAddedEvent } from "../kit/lark-events.js";
import { tempDir } from "../temp-dir.js";
import { chatWith } from "./chat-helpers.js";
import { useE2eKit } from "./e2e-kit.js";

const ENCRYPT_KEY = "feishu-openai-encrypt-key";
const TOKEN = "feishu-openai-token";

/**
 * A Feishu-OpenAI `config.yaml`, in the shape of its config.example.yaml (comments, blank and
 * unused keys, Azure off), with nothing of the bot in the environment.
 */
function configYaml(
  lark: { url: string; appId: string; appSecret: string },
  llm: { url: string; apiKey: string },
) {
  return `# 飞书
APP_ID: ${lark.appId}
APP_SECRET: ${lark.appSecret}
APP_ENCRYPT_KEY: ${ENCRYPT_KEY}
APP_VERIFICATION_TOKEN: ${TOKEN}
# 请确保和飞书应用管理平台中的设置一致
BOT_NAME: 小助手
# openAI key 支持负载均衡 可以填写多个key 用逗号分隔
OPENAI_KEY: ${llm.apiKey}
# 服务器配置 (the environment's HTTP_PORT wins)
HTTP_PORT: 9000
HTTPS_PORT: 9001
USE_HTTPS: false
CERT_FILE: cert.pem
KEY_FILE: key.pem
# openai 地址, 一般不需要修改, 除非你有自己的反向代理
API_URL: ${llm.url.replace(/\/v1$/, "")}
# 代理设置, 例如 "http://127.0.0.1:7890", ""代表不使用代理
HTTP_PROXY: ""
OPENAI_HTTP_CLIENT_TIMEOUT:
OPENAI_MODEL: gpt-3.5-turbo
# 飞书域名
BASE_URL: ${lark.url}
# AZURE OPENAI
AZURE_ON: false
AZURE_API_VERSION: 2023-03-15-preview
AZURE_RESOURCE_NAME: xxxx
AZURE_DEPLOYMENT_NAME: xxxx
AZURE_OPENAI_TOKEN: xxxx
`;
}

/** Moving over from Feishu-OpenAI with its config file: the bot works as it did. */
describe("a Feishu-OpenAI config.yaml in the working directory (e2e)", () => {
  const cwd = tempDir("e2e-feishu-openai");
  const kit = useE2eKit({
    chatPrefix: "fo",
    cwd,
    encryptKey: ENCRYPT_KEY,
    verificationToken: TOKEN,
    env: (k) => {
      const { appId, appSecret } = k.lark.app;
      writeFileSync(
        join(cwd, "config.yaml"),
        configYaml({ url: k.lark.url, appId, appSecret }, k.llm),
      );
      return {}; // only DATABASE_URL, which the kit adds
    },
  });
  const chat = chatWith(kit);

  it("answers with the file's app, key, API_URL and model", async () => {
    expect(new URL(kit.gateway.url).port).not.toBe("9000");
    const { reply } = await chat.send("hello from Feishu-OpenAI");
    expect(messageText(reply)).toContain("echo: hello from Feishu-OpenAI");
    const [request] = kit.llm.requests;
    expect(request!.path).toBe("/v1/chat/completions");
    expect(request!.apiKey).toBe(kit.llm.apiKey);
    expect(request!.body.model).toBe("gpt-3.5-turbo");
  });

  it("welcomes with the file's BOT_NAME", async () => {
    await kit.push(botAddedEvent({ appId: kit.lark.app.appId, token: TOKEN, chatId: "oc_fo_new" }));
    const [welcome] = await kit.lark.waitForMessages(1, (m) => m.chatId === "oc_fo_new");
    expect(messageText(welcome!)).toContain("小助手");
  });
});
