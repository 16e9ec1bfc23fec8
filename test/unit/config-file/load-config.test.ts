import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { BotConfig } from "../../../src/config/config.js";
import { configFilePath, loadConfig, loadDatabaseUrl } from "../../../src/config/load-config.js";
import { readEnvConfig } from "../../../src/config/read-env-config.js";
import { tempDir } from "../../temp-dir.js";
import { configErrorOf, MINIMAL, yamlFile } from "./config-file-helpers.js";

const EXAMPLE = fileURLToPath(new URL("../../../larkgate.example.yaml", import.meta.url));
const EXAMPLE_ENV = {
  FASTGPT_KEY: "fastgpt-key",
  OPENAI_KEY: "sk-openai",
  DIFY_KEY: "app-dify",
  SUPPORT_APP_SECRET: "support-secret",
  CODER_APP_SECRET: "coder-secret",
  HR_APP_SECRET: "hr-secret",
};

function bot(bots: BotConfig[], id: string): BotConfig {
  const found = bots.find((b) => b.id === id);
  if (!found) throw new Error(`no bot ${id} in ${bots.map((b) => b.id).join(", ")}`);
  return found;
}

describe("loadConfig with larkgate.example.yaml", () => {
  it("turns the example into three bots on three backends, secrets from the environment", () => {
    const config = loadConfig({ configPath: EXAMPLE, env: EXAMPLE_ENV });
    expect(config.bots.map((b) => b.id)).toEqual(["support", "coder", "hr"]);
    expect(config.http).toEqual({ host: "0.0.0.0", port: 9000 });
    expect(config.databaseUrl).toBe("sqlite:./data/larkgate.db");

    const support = bot(config.bots, "support");
    expect(support).toMatchObject({
      appSecret: "support-secret",
      domain: "https://open.feishu.cn",
      eventMode: "webhook",
      groupTrigger: "mention",
      access: { allowChats: [], allowUsers: [], denyChats: [], denyUsers: [expect.any(String)] },
    });
    expect(support).toMatchObject({
      language: "zh",
      commands: { picture: false, help: ["/help", "帮助", "菜单"] },
      voice: "lark",
    });
    // `${SUPPORT_ENCRYPT_KEY:-}` with the variable unset: no encrypt key, not an empty one.
    expect(support.encryptKey).toBeUndefined();
    expect(support.app).toEqual({
      id: "support",
      backend: "fastgpt",
      baseUrl: "https://cloud.fastgpt.cn",
      apiKey: "fastgpt-key",
      variables: { dept: "cs", userName: "{{sender.name}}", today: "{{date}}" },
      timeZone: "Asia/Shanghai",
      historyTokenBudget: 4000,
      timeoutMs: 120_000,
    });

    const coder = bot(config.bots, "coder");
    expect(coder).toMatchObject({
      domain: "https://open.larksuite.com",
      eventMode: "websocket",
      groupTrigger: "all",
    });
    expect(coder.app).toMatchObject({
      backend: "openai",
      model: "gpt-4o",
      apiKey: "sk-openai",
      temperature: 0.2,
      historyTokenBudget: 6000,
      models: ["gpt-4o", "gpt-4o-mini"],
      transcribeModel: "whisper-1",
      nativeFiles: ["pdf"],
      pictureHosts: ["charts.corp.local"],
    });
    expect(coder.language).toBe("en");
    expect([coder.voice, bot(config.bots, "hr").voice]).toEqual(["openai", "off"]);
    const [opsChat, override] = Object.entries(coder.chatOverrides ?? {})[0] ?? [];
    expect(opsChat).toMatch(/^oc_/);
    expect(override?.systemPrompt).toMatch(/on-call/);

    const hr = bot(config.bots, "hr");
    expect(hr.app).toMatchObject({ backend: "dify", baseUrl: "https://api.dify.ai" });
    // A chat override shares the app object of apps.support.
    expect(Object.values(hr.chatOverrides ?? {})[0]?.app).toBe(support.app);
  });

  it("fills optional references when their variables are set", () => {
    const config = loadConfig({
      configPath: EXAMPLE,
      env: { ...EXAMPLE_ENV, SUPPORT_ENCRYPT_KEY: "enc", SUPPORT_VERIFICATION_TOKEN: "vt" },
    });
    expect(bot(config.bots, "support")).toMatchObject({
      encryptKey: "enc",
      verificationToken: "vt",
    });
  });

  it("names every unset reference with its path and line", () => {
    const error = configErrorOf(EXAMPLE, { ...EXAMPLE_ENV, DIFY_KEY: "", HR_APP_SECRET: "" });
    expect(error.variable).toBe(EXAMPLE);
    expect(error.message).toMatch(
      /apps\.hr\.apiKey \(line \d+\): \$\{DIFY_KEY\} is not set\. Set DIFY_KEY in the environment/,
    );
    expect(error.message).toMatch(
      /bots\.hr\.appSecret \(line \d+\): \$\{HR_APP_SECRET\} is not set/,
    );
    expect(error.message).not.toContain("FASTGPT_KEY");
  });
});

describe("loadConfig: where the configuration comes from", () => {
  const envBot = { APP_ID: "cli_env1", APP_SECRET: "env-secret", OPENAI_KEY: "sk-env" };

  it("reads the environment alone when there is no config file", () => {
    const env = { ...envBot, HTTP_PORT: "8080" };
    expect(loadConfig({ env })).toEqual(readEnvConfig(env));
  });

  it("reads the file named by CONFIG_FILE when --config is not given", () => {
    const path = yamlFile(MINIMAL);
    expect(loadConfig({ env: { CONFIG_FILE: path } }).bots.map((b) => b.id)).toEqual(["support"]);
  });

  it("reads larkgate.yaml in the working directory when neither names a file (the image's /app)", () => {
    const cwd = dirname(yamlFile(MINIMAL));
    expect(loadConfig({ env: {}, cwd }).bots.map((b) => b.id)).toEqual(["support"]);
    expect(configFilePath({ env: {}, cwd })).toBe(join(cwd, "larkgate.yaml"));
    // A named file still wins, and without one there the environment alone is read.
    const named = yamlFile(MINIMAL.replaceAll("support", "named"));
    expect(loadConfig({ env: { CONFIG_FILE: named }, cwd }).bots.map((b) => b.id)).toEqual([
      "named",
    ]);
    expect(loadConfig({ env: envBot, cwd: tempDir("no-config") }).bots.map((b) => b.id)).toEqual([
      "default",
    ]);
  });

  it("lets HTTP_PORT, DATABASE_URL, LOG_LEVEL and STALE_MESSAGE_MINUTES override the file, and uses the file otherwise", () => {
    const path = yamlFile(
      `server:\n  port: 7000\n  host: 127.0.0.1\ndatabase: sqlite:./file.db\nlogLevel: warn\nstaleMessageMinutes: 5\n${MINIMAL}`,
    );
    const fromFile = loadConfig({ configPath: path, env: {} });
    expect(fromFile).toMatchObject({
      http: { host: "127.0.0.1", port: 7000 },
      databaseUrl: "sqlite:./file.db",
      logLevel: "warn",
      staleMessageMinutes: 5,
    });
    const overridden = loadConfig({
      configPath: path,
      env: {
        PORT: "0",
        DATABASE_URL: "postgres://db/larkgate",
        LOG_LEVEL: "debug",
        STALE_MESSAGE_MINUTES: "0",
      },
    });
    expect(overridden).toMatchObject({
      http: { host: "127.0.0.1", port: 0 },
      databaseUrl: "postgres://db/larkgate",
      logLevel: "debug",
      staleMessageMinutes: 0,
    });
  });

  it("adds the environment's bot as `default` beside the file's bots", () => {
    const config = loadConfig({ configPath: yamlFile(MINIMAL), env: envBot });
    expect(config.bots.map((b) => [b.id, b.appId])).toEqual([
      ["default", "cli_env1"],
      ["support", "cli_a1"],
    ]);
  });

  it("refuses a file bot named `default` when APP_ID also defines one", () => {
    const path = yamlFile(MINIMAL.replace("  support:\n    appId", "  default:\n    appId"));
    const error = configErrorOf(path, envBot);
    expect(error.message).toContain(`${path}: bots.default: APP_ID=cli_env1 in the environment`);
    expect(error.message).toMatch(/rename this bot/);
  });

  it("refuses a file bot on the same Lark app as APP_ID", () => {
    const error = configErrorOf(yamlFile(MINIMAL), { ...envBot, APP_ID: "cli_a1" });
    expect(error.message).toContain("bots.support.appId: APP_ID=cli_a1 in the environment");
  });

  it("takes a numeric setting from a reference", () => {
    const path = yamlFile(`server:\n  port: \${GATEWAY_PORT}\n${MINIMAL}`);
    expect(loadConfig({ configPath: path, env: { GATEWAY_PORT: "9100" } }).http.port).toBe(9100);
  });

  it("writes `$$` + `{` as a literal, and applies the fallback of `:-`", () => {
    const path = yamlFile(
      // A replacer function: in a replacement string, `$$` would mean a single `$`.
      MINIMAL.replace(
        "apiKey: sk-test",
        () => `apiKey: \${KEY:-sk-fallback}\n    systemPrompt: cost $\${PRICE}`,
      ),
    );
    const app = loadConfig({ configPath: path, env: {} }).bots[0]?.app;
    expect(app?.apiKey).toBe("sk-fallback");
    expect(app?.systemPrompt).toBe(`cost \${PRICE}`);
  });
});

describe("loadDatabaseUrl", () => {
  it("reads only `database:`, so a shell without the bots' secrets can open the log", () => {
    const path = yamlFile(
      `database: sqlite:\${DATA_DIR}/log.db\n${MINIMAL.replace("s3cret", `\${UNSET_SECRET}`)}`,
    );
    expect(loadDatabaseUrl({ configPath: path, env: { DATA_DIR: "/srv" } })).toBe(
      "sqlite:/srv/log.db",
    );
    expect(loadDatabaseUrl({ configPath: path, env: { DATABASE_URL: "sqlite:./env.db" } })).toBe(
      "sqlite:./env.db",
    );
    expect(loadDatabaseUrl({ env: {} })).toBe("sqlite:./data/larkgate.db");
  });
});
