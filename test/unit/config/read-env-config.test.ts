import { describe, expect, it } from "vitest";
import type { ConfigError } from "../../../src/config/config-error.js";
import { readEnvConfig } from "../../../src/config/read-env-config.js";
import { thrownConfigError } from "./thrown-config-error.js";

const base = { APP_ID: "cli_a41fe20b2539d00b", APP_SECRET: "s3cret", OPENAI_KEY: "sk-test" };

function errorOf(env: Record<string, string>): ConfigError {
  return thrownConfigError(() => readEnvConfig(env));
}

describe("readEnvConfig", () => {
  it("starts with no bot at all, on port 9000 with SQLite, like czlchat-feishu", () => {
    const config = readEnvConfig({});
    expect(config.bots).toEqual([]);
    expect(config.http.port).toBe(9000);
    expect(config.databaseUrl).toBe("sqlite:./data/larkgate.db");
    // Lark re-pushes for ~7 h after downtime; older than half an hour is not answered.
    expect(config.staleMessageMinutes).toBe(30);
    // The chat log is kept until a retention is set.
    expect(config.chatLogRetentionDays).toBe(0);
    expect(readEnvConfig({ CHAT_LOG_RETENTION_DAYS: "90" }).chatLogRetentionDays).toBe(90);
  });

  it("maps the Feishu-OpenAI/czlchat variables onto the default bot", () => {
    const config = readEnvConfig({
      ...base,
      APP_ENCRYPT_KEY: "enc",
      APP_VERIFICATION_TOKEN: "vt",
      BOT_NAME: "testgpt",
      API_URL: "https://oapi.czl.net",
      OPENAI_MODEL: "gpt-4o",
    });
    const bot = config.bots[0]!;
    expect(bot).toMatchObject({
      id: "default",
      appId: base.APP_ID,
      encryptKey: "enc",
      verificationToken: "vt",
      name: "testgpt",
      domain: "https://open.feishu.cn",
      groupTrigger: "mention",
    });
    // API_URL has no /v1 in Feishu-OpenAI; the OpenAI SDK needs it.
    expect(bot.app.baseUrl).toBe("https://oapi.czl.net/v1");
    expect(bot.app).toMatchObject({ backend: "openai", model: "gpt-4o" });
  });

  it("keeps OPENAI_BASE_URL as given and keeps every one of several comma-separated keys", () => {
    const bot = readEnvConfig({
      ...base,
      OPENAI_KEY: "sk-one, sk-two,,sk-one",
      OPENAI_BASE_URL: "http://127.0.0.1:4000/v1/",
    }).bots[0]!;
    expect(bot.app.baseUrl).toBe("http://127.0.0.1:4000/v1");
    expect(bot.app).toMatchObject({ apiKey: "sk-one", apiKeys: ["sk-one", "sk-two"] });
    expect(readEnvConfig(base).bots[0]!.app).not.toHaveProperty("apiKeys");
  });

  it("accepts lark, feishu and base URLs for LARK_DOMAIN, and PORT as an alias", () => {
    expect(readEnvConfig({ ...base, LARK_DOMAIN: "lark" }).bots[0]!.domain).toBe(
      "https://open.larksuite.com",
    );
    expect(readEnvConfig({ ...base, LARK_DOMAIN: "http://127.0.0.1:4010/" }).bots[0]!.domain).toBe(
      "http://127.0.0.1:4010",
    );
    expect(readEnvConfig({ PORT: "8080" }).http.port).toBe(8080);
    expect(readEnvConfig({ PORT: "8080", HTTP_PORT: "9001" }).http.port).toBe(9001);
  });

  it("notices an HTTP(S) proxy in the environment, so Lark calls can go through it", () => {
    expect(readEnvConfig(base).outboundProxy).toBeUndefined();
    expect(readEnvConfig({ ...base, HTTPS_PROXY: "http://proxy:3128" }).outboundProxy).toBe(true);
    expect(readEnvConfig({ ...base, http_proxy: "http://proxy:3128" }).outboundProxy).toBe(true);
  });

  it("gives pictures to the model only when OPENAI_VISION says it reads them", () => {
    expect(readEnvConfig(base).bots[0]!.app).not.toHaveProperty("vision");
    expect(readEnvConfig({ ...base, OPENAI_VISION: "on" }).bots[0]!.app).toMatchObject({
      vision: true,
    });
    expect(readEnvConfig({ ...base, OPENAI_VISION: "false" }).bots[0]!.app).not.toHaveProperty(
      "vision",
    );
    expect(errorOf({ ...base, OPENAI_VISION: "yes" }).message).toMatch(/on, off, true, false/);
  });

  it("reads PUBLIC_URL without a trailing slash, and refuses one that is not http(s)", () => {
    expect(readEnvConfig({}).publicUrl).toBeUndefined();
    expect(readEnvConfig({ PUBLIC_URL: "https://bot.example.com/" }).publicUrl).toBe(
      "https://bot.example.com",
    );
    expect(errorOf({ PUBLIC_URL: "bot.example.com" }).variable).toBe("PUBLIC_URL");
  });

  it("names the variable and the fix for incomplete or malformed settings", () => {
    expect(errorOf({ APP_ID: base.APP_ID }).variable).toBe("APP_SECRET");
    expect(errorOf({ APP_SECRET: "x" }).variable).toBe("APP_ID");
    const noKey = errorOf({ APP_ID: base.APP_ID, APP_SECRET: "x" });
    expect(noKey.variable).toBe("OPENAI_KEY");
    expect(noKey.message).toMatch(/OPENAI_KEY/);
    expect(errorOf({ ...base, APP_ID: "a41fe20b" }).message).toMatch(/cli_/);
    expect(errorOf({ ...base, LARK_DOMAIN: "larksuite" }).message).toMatch(/"feishu".*"lark"/);
    expect(errorOf({ HTTP_PORT: "ninety" }).variable).toBe("HTTP_PORT");
    expect(errorOf({ DATABASE_URL: "mysql://x" }).message).toMatch(/sqlite:<path>/);
    expect(errorOf({ ...base, GROUP_TRIGGER: "sometimes" }).message).toMatch(/mention, all/);
    expect(errorOf({ STALE_MESSAGE_MINUTES: "-5" }).variable).toBe("STALE_MESSAGE_MINUTES");
  });

  it("never puts a secret into an error message", () => {
    const error = errorOf({ ...base, OPENAI_BASE_URL: "not a url" });
    expect(error.message).not.toContain(base.APP_SECRET);
    expect(error.message).not.toContain(base.OPENAI_KEY);
    const db = errorOf({ DATABASE_URL: "mysql://user:hunter2@db/x" });
    expect(db.message).not.toContain("hunter2");
  });

  it("takes TEST_ALLOW_LOOPBACK_FETCH only under NODE_ENV=test, and says what to use instead", () => {
    expect(readEnvConfig({ TEST_ALLOW_LOOPBACK_FETCH: "true", NODE_ENV: "test" })).toMatchObject({
      allowLoopbackFetch: true,
    });
    expect(readEnvConfig({ NODE_ENV: "test" }).allowLoopbackFetch).toBeUndefined();
    for (const env of [{}, { NODE_ENV: "production" }] as Record<string, string>[]) {
      const error = errorOf({ ...env, TEST_ALLOW_LOOPBACK_FETCH: "true" });
      expect(error.variable).toBe("TEST_ALLOW_LOOPBACK_FETCH");
      expect(error.message).toContain("pictureHosts (PICTURE_HOSTS)");
    }
  });

  it("reads PICTURE_HOSTS as the default app's internal picture hosts", () => {
    const config = readEnvConfig({ ...base, PICTURE_HOSTS: "Charts.corp.local, 10.0.0.5" });
    expect(config.bots[0]!.app.pictureHosts).toEqual(["charts.corp.local", "10.0.0.5"]);
    expect(errorOf({ ...base, PICTURE_HOSTS: "https://charts.corp/x" }).variable).toBe(
      "PICTURE_HOSTS",
    );
  });
});
