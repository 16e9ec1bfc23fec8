import { createServer } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFakeLark, type FakeLark } from "../../kit/fake-lark.js";
import { createFakeLlm, type FakeLlm } from "../../kit/fake-llm.js";
import { listenLocal } from "../../kit/http-json.js";
import { ensureBuilt, runCli, tempDir, writeFile } from "./larkgate-cli.js";

let lark: FakeLark;
let llm: FakeLlm;

beforeAll(async () => {
  ensureBuilt();
  lark = await createFakeLark();
  llm = await createFakeLlm();
});

afterAll(async () => {
  await lark?.close();
  await llm?.close();
});

/** A port nothing listens on: bound once by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listenLocal(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function configFile(options: { supportAppId: string; coderAppId: string; llmUrl: string }) {
  const dir = tempDir();
  const path = writeFile(
    dir,
    "larkgate.yaml",
    `
apps:
  coder:
    backend: openai
    baseUrl: ${options.llmUrl}
    apiKey: \${CODER_KEY}
    model: fake-model
bots:
  support:
    appId: ${options.supportAppId}
    appSecret: \${SUPPORT_SECRET}
    encryptKey: enc-key
    domain: ${lark.url}
    app: coder
  coder:
    appId: ${options.coderAppId}
    appSecret: \${CODER_SECRET}
    domain: ${lark.url}
    eventMode: websocket
    app: coder
`,
  );
  return { dir, path };
}

describe("larkgate check", () => {
  it("passes against working Lark apps and LLM, and prints the Request URLs to paste", async () => {
    const support = lark.addApp({ botName: "Support" });
    const coder = lark.addApp({ botName: "Coder" });
    const { dir, path } = configFile({
      supportAppId: support.appId,
      coderAppId: coder.appId,
      llmUrl: llm.url,
    });
    const requestsBefore = llm.requests.length;

    const result = await runCli(
      ["check", "--config", path, "--public-url", "https://bot.example.com/"],
      {
        cwd: dir,
        env: {
          SUPPORT_SECRET: support.appSecret,
          CODER_SECRET: coder.appSecret,
          CODER_KEY: llm.apiKey,
          // The environment-only bot still works beside the file, as bot "default".
          APP_ID: lark.app.appId,
          APP_SECRET: lark.app.appSecret,
          LARK_DOMAIN: lark.url,
          OPENAI_KEY: llm.apiKey,
          OPENAI_BASE_URL: llm.url,
          OPENAI_MODEL: "fake-model",
        },
      },
    );

    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).not.toContain("✗");
    expect(result.stdout).toContain(`bot open_id ${support.botOpenId}`);
    expect(result.stdout).toContain(`bot open_id ${lark.app.botOpenId}`);
    expect(result.stdout).toContain("activation: enabled (activate_status 2)");
    expect(result.stdout).toContain("https://bot.example.com/webhook/event");
    expect(result.stdout).toContain("https://bot.example.com/webhook/card");
    expect(result.stdout).toContain("https://bot.example.com/webhook/support/event");
    expect(result.stdout).toContain("https://bot.example.com/webhook/support/card");
    expect(result.stdout).not.toContain("/webhook/coder/");
    expect(result.stdout).toMatch(/websocket mode, no Request URL needed/);
    // Both apps were asked once: the file's "coder" (shared by two bots) and the env's.
    expect(llm.requests.length - requestsBefore).toBe(2);
    expect(JSON.stringify(llm.requests.at(-1)?.body.messages)).toContain("ping");
    // Secrets are never printed.
    expect(result.stdout + result.stderr).not.toContain(support.appSecret);
    expect(result.stdout + result.stderr).not.toContain(llm.apiKey);
  });

  it("names each missing permission with the console step, in the bot's language", async () => {
    const app = lark.addApp({});
    lark.revokeScope(app.appId, "im:resource");
    lark.revokeScope(app.appId, "cardkit:card:write");
    const env = {
      APP_ID: app.appId,
      APP_SECRET: app.appSecret,
      LARK_DOMAIN: lark.url,
      OPENAI_KEY: llm.apiKey,
      OPENAI_BASE_URL: llm.url,
      OPENAI_VISION: "on",
    };
    const english = await runCli(["check"], { env });
    expect(english.code).toBe(1);
    expect(english.stdout).toContain(
      "✓ permission im:message:send_as_bot: granted (answering messages)",
    );
    expect(english.stdout).toContain(
      "✗ permission im:resource is missing, so pictures (reading them, uploading the ones /picture makes) cannot work. Developer console → Permissions & Scopes → search im:resource → Add",
    );
    expect(english.stdout).toContain(
      "! permission cardkit:card:write is missing: streaming answers as a typewriter (CardKit) is off",
    );

    const chinese = await runCli(["check"], { env: { ...env, LANGUAGE: "zh" } });
    expect(chinese.stdout).toContain(
      "✗ 缺少权限 im:resource，图片（读取图片、上传 /picture 生成的图片）无法使用",
    );
    expect(chinese.stdout).toContain("开发者后台 → 权限管理 → 搜索 im:resource → 开通权限");
    // The probes changed nothing at Lark.
    expect(lark.messages.filter((m) => m.appId === app.appId)).toHaveLength(0);
  });

  it("probes Lark's speech recognition permission for a bot that transcribes with it", async () => {
    const app = lark.addApp({});
    const env = {
      APP_ID: app.appId,
      APP_SECRET: app.appSecret,
      LARK_DOMAIN: lark.url,
      OPENAI_KEY: llm.apiKey,
      OPENAI_BASE_URL: llm.url,
      VOICE_TRANSCRIBE: "lark",
      LANGUAGE: "en",
    };
    const granted = await runCli(["check"], { env });
    expect(granted.stdout).toContain(
      "✓ permission speech_to_text:speech: granted (voice messages (downloading them, Lark's speech recognition))",
    );
    lark.revokeScope(app.appId, "speech_to_text:speech");
    const missing = await runCli(["check"], { env });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain(
      "✗ permission speech_to_text:speech is missing, so voice messages (downloading them, Lark's speech recognition) cannot work. Developer console → Permissions & Scopes → search speech_to_text:speech → Add",
    );
    // Nothing was recognised: the probe's empty speech fails Lark's own check.
    expect(lark.speech.requests).toHaveLength(0);
  });

  it("prints relative Request URLs without --public-url, and says so", async () => {
    const result = await runCli(["check"], {
      env: {
        APP_ID: lark.app.appId,
        APP_SECRET: lark.app.appSecret,
        LARK_DOMAIN: lark.url,
        OPENAI_KEY: llm.apiKey,
        OPENAI_BASE_URL: llm.url,
      },
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Request URL .*: \/webhook\/event$/m);
    expect(result.stdout).toMatch(/relative: .*--public-url/);
  });

  it("names APP_SECRET and Lark's 10014 when the environment's secret is wrong", async () => {
    const result = await runCli(["check"], {
      env: {
        APP_ID: lark.app.appId,
        APP_SECRET: "not-the-secret",
        LARK_DOMAIN: lark.url,
        OPENAI_KEY: llm.apiKey,
        OPENAI_BASE_URL: llm.url,
      },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `✗ credentials: APP_SECRET is wrong for ${lark.app.appId} (Lark answered 10014)`,
    );
    const chinese = await runCli(["check"], {
      env: {
        APP_ID: lark.app.appId,
        APP_SECRET: "not-the-secret",
        LARK_DOMAIN: lark.url,
        LANGUAGE: "zh",
        OPENAI_KEY: llm.apiKey,
        OPENAI_BASE_URL: llm.url,
      },
    });
    expect(chinese.stdout).toContain(
      `✗ credentials: APP_SECRET 与 ${lark.app.appId} 不匹配（飞书返回 10014）。请在开发者后台（凭证与基础信息）重新复制 App Secret`,
    );
  });

  it("names the file and the bot's appSecret when a file bot's secret is wrong", async () => {
    const support = lark.addApp({});
    const coder = lark.addApp({});
    const { dir, path } = configFile({
      supportAppId: support.appId,
      coderAppId: coder.appId,
      llmUrl: llm.url,
    });
    const result = await runCli(["check", "--config", path], {
      cwd: dir,
      env: { SUPPORT_SECRET: "wrong", CODER_SECRET: coder.appSecret, CODER_KEY: llm.apiKey },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `bots.support.appSecret in ${path} is wrong for ${support.appId} (Lark answered 10014)`,
    );
    // The other bot is still checked and passes.
    expect(result.stdout).toContain(`bot open_id ${coder.botOpenId}`);
  });

  it("fails naming the app when its LLM cannot be reached", async () => {
    const support = lark.addApp({});
    const coder = lark.addApp({});
    const port = await closedPort();
    const { dir, path } = configFile({
      supportAppId: support.appId,
      coderAppId: coder.appId,
      llmUrl: `http://127.0.0.1:${port}/v1`,
    });
    const result = await runCli(["check", "--config", path], {
      cwd: dir,
      env: { SUPPORT_SECRET: support.appSecret, CODER_SECRET: coder.appSecret, CODER_KEY: "sk-x" },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      new RegExp(`✗ app coder: cannot reach http://127\\.0\\.0\\.1:${port}/v1`),
    );
    expect(result.stdout).toContain(`apps.coder.baseUrl in ${path}`);
  });

  it("fails naming the key when the LLM refuses it", async () => {
    const result = await runCli(["check"], {
      env: {
        APP_ID: lark.app.appId,
        APP_SECRET: lark.app.appSecret,
        LARK_DOMAIN: lark.url,
        OPENAI_KEY: "sk-wrong",
        OPENAI_BASE_URL: llm.url,
      },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✗ app default: the API key was refused .*Check OPENAI_KEY/);
  });

  it("fails with the file's mistake when the config is invalid", async () => {
    const dir = tempDir();
    const path = writeFile(dir, "larkgate.yaml", "bots:\n  Support!:\n    appId: cli_1\n");
    const result = await runCli(["check", "--config", path], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `✗ ${path}: bots["Support!"] (line 2): "Support!" cannot be a bot id:`,
    );
  });
});
