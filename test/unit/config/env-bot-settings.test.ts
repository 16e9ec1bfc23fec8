import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { OpenAiAppConfig } from "../../../src/config/config.js";
import type { ConfigError } from "../../../src/config/config-error.js";
import { readEnvConfig } from "../../../src/config/read-env-config.js";
import { tempDir } from "../../temp-dir.js";
import { thrownConfigError } from "./thrown-config-error.js";

const base = { APP_ID: "cli_a41fe20b2539d00b", APP_SECRET: "s3cret", OPENAI_KEY: "sk-test" };
const bot = (env: Record<string, string>) => readEnvConfig({ ...base, ...env }).bots[0]!;

function errorOf(env: Record<string, string>): ConfigError {
  return thrownConfigError(() => readEnvConfig({ ...base, ...env }));
}

describe("the default bot's settings from the environment", () => {
  it("speaks Chinese on Feishu and English on Lark unless LANGUAGE says otherwise", () => {
    expect(bot({}).language).toBe("zh");
    expect(bot({ LARK_DOMAIN: "lark" }).language).toBe("en");
    expect(bot({ LANGUAGE: "auto", LARK_DOMAIN: "http://127.0.0.1:4010" }).language).toBe("en");
    expect(bot({ LANGUAGE: "en" }).language).toBe("en");
    expect(bot({ LANGUAGE: "ZH", LARK_DOMAIN: "lark" }).language).toBe("zh");
    expect(errorOf({ LANGUAGE: "fr" }).message).toBe('LANGUAGE: "fr" must be one of: zh, en, auto');
  });

  it("asks before /clear unless CONFIRM_CLEAR is off", () => {
    expect(bot({}).confirmClear ?? true).toBe(true);
    expect(bot({ CONFIRM_CLEAR: "on" }).confirmClear ?? true).toBe(true);
    expect(bot({ CONFIRM_CLEAR: "false" }).confirmClear).toBe(false);
    expect(bot({ CONFIRM_CLEAR: "off" }).confirmClear).toBe(false);
    expect(errorOf({ CONFIRM_CLEAR: "no" }).variable).toBe("CONFIRM_CLEAR");
  });

  it("tells an unset WELCOME_MESSAGE (the default welcome) from an empty one (none)", () => {
    expect(bot({})).not.toHaveProperty("welcome");
    expect(bot({ WELCOME_MESSAGE: "" }).welcome).toBe("");
    expect(bot({ WELCOME_MESSAGE: "  Hi! Ask me anything. " }).welcome).toBe(
      "Hi! Ask me anything.",
    );
  });

  it("offers the OPENAI_MODELS list to /model", () => {
    expect(bot({}).app).not.toHaveProperty("models");
    const app = bot({ OPENAI_MODELS: "gpt-4o, gpt-4o-mini,," }).app as OpenAiAppConfig;
    expect(app.models).toEqual(["gpt-4o", "gpt-4o-mini"]);
  });

  it("draws /picture with OPENAI_IMAGE_MODEL, and not at all when it is off", () => {
    expect(bot({}).app).not.toHaveProperty("imageModel");
    expect((bot({ OPENAI_IMAGE_MODEL: "gpt-image-1" }).app as OpenAiAppConfig).imageModel).toBe(
      "gpt-image-1",
    );
    expect((bot({ OPENAI_IMAGE_MODEL: "off" }).app as OpenAiAppConfig).imageModel).toBe(false);
  });

  it("transcribes voice with the app's whisper-1 unless VOICE_TRANSCRIBE and OPENAI_TRANSCRIBE_MODEL say", () => {
    expect(bot({}).voice).toBe("openai");
    expect(bot({}).app).not.toHaveProperty("transcribeModel");
    const app = bot({ OPENAI_TRANSCRIBE_MODEL: "gpt-4o-mini-transcribe" }).app as OpenAiAppConfig;
    expect(app.transcribeModel).toBe("gpt-4o-mini-transcribe");
    expect(bot({ VOICE_TRANSCRIBE: "lark" }).voice).toBe("lark");
    expect(bot({ VOICE_TRANSCRIBE: "OFF" }).voice).toBe("off");
    expect(errorOf({ VOICE_TRANSCRIBE: "whisper" }).message).toBe(
      'VOICE_TRANSCRIBE: "whisper" must be one of: openai, lark, off',
    );
  });

  it("reads role presets from ROLE_LIST_FILE, which must be there at start", () => {
    const path = join(tempDir("roles"), "role_list.yaml");
    writeFileSync(path, "- title: Translator\n  content: Translate.\n  tags: [writing]\n");
    expect(readEnvConfig({ ROLE_LIST_FILE: path }).rolesFile).toBe(path);
    expect(readEnvConfig({}).rolesFile).toBeUndefined();

    const missing = errorOf({ ROLE_LIST_FILE: "./no-such-roles.yaml" });
    expect(missing.variable).toBe("ROLE_LIST_FILE");
    expect(missing.message).toMatch(/"\.\/no-such-roles\.yaml" does not exist/);
    expect(missing.message).toMatch(/or unset it to use the shipped roles/);
    expect(errorOf({ ROLE_LIST_FILE: tempDir("roles") }).message).toMatch(/is not a file/);
  });

  it("reads Feishu-OpenAI's BASE_URL as the Lark domain, LARK_DOMAIN first", () => {
    expect(bot({ BASE_URL: "https://open.larksuite.com" }).domain).toBe(
      "https://open.larksuite.com",
    );
    expect(bot({ BASE_URL: "lark", LARK_DOMAIN: "feishu" }).domain).toBe("https://open.feishu.cn");
    expect(errorOf({ BASE_URL: "larksuite" }).variable).toBe("BASE_URL");
  });

  it("reads Feishu-OpenAI's OPENAI_HTTP_CLIENT_TIMEOUT in seconds, LLM_TIMEOUT_MS first", () => {
    expect(bot({}).app.timeoutMs).toBe(120_000);
    expect(bot({ OPENAI_HTTP_CLIENT_TIMEOUT: "550" }).app.timeoutMs).toBe(550_000);
    expect(bot({ OPENAI_HTTP_CLIENT_TIMEOUT: "550", LLM_TIMEOUT_MS: "30000" }).app.timeoutMs).toBe(
      30_000,
    );
    expect(errorOf({ OPENAI_HTTP_CLIENT_TIMEOUT: "0.5" }).message).toMatch(
      /^OPENAI_HTTP_CLIENT_TIMEOUT: "0.5" is not a whole number between 1 and 3600/,
    );
  });
});
