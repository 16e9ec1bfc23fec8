import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ConfigError } from "../../../src/config/config-error.js";
import { loadConfig, loadDatabaseUrl } from "../../../src/config/load-config.js";
import { tempDir } from "../../temp-dir.js";
import { thrownConfigError } from "./thrown-config-error.js";

/** A working directory holding `config.yaml` with `text`. */
function workdir(text: string): string {
  const dir = tempDir("feishu-openai");
  writeFileSync(join(dir, "config.yaml"), text);
  return dir;
}

/** Feishu-OpenAI's config.example.yaml, filled in as a user would. */
const FEISHU_OPENAI = `
#  飞书
BASE_URL: https://open.feishu.cn
APP_ID: cli_a41fe20b2539d00b
APP_SECRET: 0123secret
APP_ENCRYPT_KEY: xxx
APP_VERIFICATION_TOKEN: yyy
BOT_NAME: chatGpt
OPENAI_KEY: sk-one,sk-two
OPENAI_MODEL: gpt-4o-mini
OPENAI_MAX_TOKENS: 2000
OPENAI_HTTP_CLIENT_TIMEOUT: 550
HTTP_PORT: 9100
HTTPS_PORT: 9001
USE_HTTPS: false
CERT_FILE: cert.pem
KEY_FILE: key.pem
API_URL: https://api.openai.com
HTTP_PROXY: ""
STREAM_MODE: false # set true to use stream mode
AZURE_ON: false
AZURE_API_VERSION: 2023-03-15-preview
`;

function errorOf(options: Parameters<typeof loadConfig>[0]): ConfigError {
  return thrownConfigError(() => loadConfig(options));
}

describe("Feishu-OpenAI's config.yaml in the working directory", () => {
  it("configures the bot as Feishu-OpenAI did, every value kept as written", () => {
    const config = loadConfig({ env: {}, cwd: workdir(FEISHU_OPENAI) });
    expect(config.http.port).toBe(9100);
    expect(config.https).toBeUndefined();
    expect(config.outboundProxy).toBeUndefined();
    const bot = config.bots[0]!;
    expect(bot).toMatchObject({
      id: "default",
      appId: "cli_a41fe20b2539d00b",
      appSecret: "0123secret",
      encryptKey: "xxx",
      verificationToken: "yyy",
      domain: "https://open.feishu.cn",
      answerMode: "final",
    });
    expect(bot.app).toMatchObject({
      backend: "openai",
      baseUrl: "https://api.openai.com/v1",
      apiKeys: ["sk-one", "sk-two"],
      maxTokens: 2000,
      timeoutMs: 550_000,
    });
  });

  it("lets the environment win, and fills in only what it leaves unset or blank", () => {
    const cwd = workdir(FEISHU_OPENAI);
    const config = loadConfig({
      env: { HTTP_PORT: "9200", OPENAI_MODEL: "", OPENAI_KEY: "sk-env" },
      cwd,
    });
    expect(config.http.port).toBe(9200);
    expect(config.bots[0]!.app).toMatchObject({ model: "gpt-4o-mini", apiKey: "sk-env" });
    expect(config.bots[0]!.app).not.toHaveProperty("apiKeys");
  });

  it("takes OPENAI_KEY as a YAML list too, and keeps a secret's leading zeros", () => {
    const cwd = workdir("APP_ID: cli_a1\nAPP_SECRET: 00123\nOPENAI_KEY:\n  - sk-one\n  - sk-two\n");
    const bot = loadConfig({ env: {}, cwd }).bots[0]!;
    expect(bot.appSecret).toBe("00123");
    expect(bot.app).toMatchObject({ apiKey: "sk-one", apiKeys: ["sk-one", "sk-two"] });
  });

  it("names config.yaml when one of its values is wrong", () => {
    const cwd = workdir(FEISHU_OPENAI.replace("HTTP_PORT: 9100", "HTTP_PORT: ninety"));
    const error = errorOf({ env: {}, cwd });
    expect(error.variable).toBe(join(cwd, "config.yaml"));
    expect(error.message).toContain('config.yaml: HTTP_PORT: "ninety" is not a whole number');
    // The same mistake made in the environment is the environment's.
    expect(errorOf({ env: { HTTP_PORT: "ninety" }, cwd }).variable).toBe("HTTP_PORT");
  });

  it("is read when named with --config or CONFIG_FILE, as Feishu-OpenAI's -c took it", () => {
    const path = join(workdir(FEISHU_OPENAI), "config.yaml");
    expect(loadConfig({ configPath: path, env: {} }).bots[0]!.appId).toBe("cli_a41fe20b2539d00b");
    expect(loadConfig({ env: { CONFIG_FILE: path } }).http.port).toBe(9100);
  });

  it("is left alone when a larkgate.yaml is named, or when it is not Feishu-OpenAI's", () => {
    const cwd = workdir(FEISHU_OPENAI);
    const larkgate = join(tempDir("larkgate"), "larkgate.yaml");
    writeFileSync(larkgate, "apps:\nbots:\n");
    expect(loadConfig({ configPath: larkgate, env: {}, cwd }).bots).toEqual([]);

    const other = workdir("server:\n  port: 7000\nname: some other tool\n");
    expect(loadConfig({ env: {}, cwd: other })).toMatchObject({ http: { port: 9000 }, bots: [] });
  });

  it("is left alone when a larkgate.yaml sits beside it", () => {
    const cwd = workdir(FEISHU_OPENAI);
    writeFileSync(join(cwd, "larkgate.yaml"), "apps:\nbots:\n");
    expect(loadConfig({ env: {}, cwd })).toMatchObject({ http: { port: 9000 }, bots: [] });
  });

  it("gives larkgate logs and migrate the same database", () => {
    const cwd = workdir(`${FEISHU_OPENAI}DATABASE_URL: sqlite:./old.db\n`);
    expect(loadDatabaseUrl({ env: {}, cwd })).toBe("sqlite:./old.db");
    expect(loadDatabaseUrl({ env: { DATABASE_URL: "sqlite:./env.db" }, cwd })).toBe(
      "sqlite:./env.db",
    );
  });
});
