import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config/load-config.js";
import { configErrorOf, MINIMAL, yamlFile } from "./config-file-helpers.js";

/** The message for one broken file, without the leading `<path>: `. */
function problem(text: string, env: Record<string, string> = {}): string {
  const path = yamlFile(text);
  const error = configErrorOf(path, env);
  expect(error.variable).toBe(path);
  return error.message.slice(path.length + 2);
}

describe("larkgate.yaml mistakes", () => {
  it("a missing file", () => {
    const error = configErrorOf("/nonexistent/larkgate.yaml");
    expect(error.message).toMatch(
      /^\/nonexistent\/larkgate\.yaml: file not found\. Check --config/,
    );
  });

  it("an empty file", () => {
    expect(problem("# nothing yet\n")).toMatch(/the file is empty/);
  });

  it("YAML that does not parse, with a hint for references inside { }", () => {
    expect(problem(`apps:\n  a: { backend: openai, apiKey: \${KEY} }\n`)).toMatch(
      /^line 2, column \d+: not valid YAML: .* put \$\{…\} references in quotes/,
    );
  });

  // Found by the config fuzz test: `*!` parses, then building the value threw a ReferenceError.
  it("an alias without its anchor", () => {
    expect(problem("apps: *openai\n")).toMatch(
      /^not valid YAML: Unresolved alias.*Define each &anchor before its \*alias/,
    );
  });

  it("a duplicated bot id", () => {
    expect(problem(`${MINIMAL}  support:\n    appId: cli_b\n`)).toMatch(
      /^line \d+, column \d+: not valid YAML: Map keys must be unique/,
    );
  });

  it("an unknown top-level key (a typo)", () => {
    expect(problem(`${MINIMAL}bot:\n  x: 1\n`)).toBe(
      '(top level): unknown key "bot" (allowed: server, database, logLevel, workerConcurrency, staleMessageMinutes, chatLogRetentionDays, apps, bots, roles)',
    );
  });

  it("an unknown key in an app, listing the allowed ones", () => {
    expect(problem(MINIMAL.replace("apiKey:", "apikey:"))).toMatch(
      /apps\.support \(line 3\): unknown key "apikey" \(allowed: backend, apiKey, .*model/,
    );
  });

  it("vision that is not a boolean, or on FastGPT/Dify without the public URL they fetch from", () => {
    expect(
      problem(MINIMAL.replace("    model: gpt-4o-mini\n", "    model: gpt-4o\n    vision: yes\n")),
    ).toBe("apps.support.vision (line 7): must be true or false");
    const fastgpt = MINIMAL.replace("backend: openai", "backend: fastgpt").replace(
      "    model: gpt-4o-mini\n",
      "    baseUrl: https://fastgpt.example.com\n    vision: true\n",
    );
    expect(problem(fastgpt)).toMatch(
      /^apps\.support\.vision: FastGPT fetches pictures from larkgate, so set server\.publicUrl \(or PUBLIC_URL\)/,
    );
    // Given either way, the same file loads.
    expect(() =>
      loadConfig({
        configPath: yamlFile(`server:\n  publicUrl: https://bot.example.com\n${fastgpt}`),
      }),
    ).not.toThrow();
    expect(() =>
      loadConfig({ configPath: yamlFile(fastgpt), env: { PUBLIC_URL: "https://bot.example.com" } }),
    ).not.toThrow();
  });

  it("an app without a backend, or an unknown one", () => {
    expect(problem(MINIMAL.replace("backend: openai", "backend: claude"))).toBe(
      "apps.support.backend (line 4): must be one of: openai, azure, fastgpt, dify",
    );
    expect(problem(MINIMAL.replace("    backend: openai\n", ""))).toBe(
      "apps.support.backend (line 3): is required: one of openai, azure, fastgpt, dify",
    );
  });

  it("an OpenAI app without a model, a FastGPT app without a base URL", () => {
    expect(problem(MINIMAL.replace("    model: gpt-4o-mini\n", ""))).toBe(
      "apps.support.model (line 3): is required (the model name, e.g. gpt-4o-mini)",
    );
    expect(
      problem(
        MINIMAL.replace("backend: openai", "backend: fastgpt").replace(
          "    model: gpt-4o-mini\n",
          "",
        ),
      ),
    ).toMatch(/^apps\.support\.baseUrl \(line 3\): is required \(your FastGPT server root/);
  });

  it("settings out of range or of the wrong kind", () => {
    const text = MINIMAL.replace(
      "model: gpt-4o-mini",
      "model: gpt-4o-mini\n    temperature: 3\n    baseUrl: api.openai.com\n    timeoutMs: soon",
    );
    const message = problem(text);
    expect(message).toContain(
      "apps.support.temperature (line 7): must be a number between 0 and 2",
    );
    expect(message).toContain("apps.support.baseUrl (line 8): must be an http(s) URL");
    expect(message).toContain(
      "apps.support.timeoutMs (line 9): must be a whole number between 1000",
    );
  });

  it("a bot id that cannot be a URL segment", () => {
    expect(problem(MINIMAL.replace("  support:\n    appId", "  HR Bot:\n    appId"))).toMatch(
      /^bots\["HR Bot"\] \(line 8\): "HR Bot" cannot be a bot id: it becomes the URL/,
    );
  });

  it("a bot without a secret, and an App ID that is not one", () => {
    const message = problem(MINIMAL.replace("    appSecret: s3cret\n", "").replace("cli_a1", "a1"));
    expect(message).toContain(
      'bots.support.appId (line 9): does not look like an App ID; it starts with "cli_"',
    );
    expect(message).toContain("bots.support.appSecret (line 8): is required (App Secret");
  });

  it("a bot on an app that is not defined", () => {
    const renamed = MINIMAL.replace("  support:\n    backend", "  coder:\n    backend");
    const text = `${renamed}  hr:\n    appId: cli_a2\n    appSecret: x\n    app: hr\n`;
    expect(problem(text).split("\n")).toEqual([
      'bots.support.app (line 11): no app named "support" (apps defined: coder)',
      expect.stringMatching(
        /: bots\.hr\.app \(line 15\): no app named "hr" \(apps defined: coder\)$/,
      ),
    ]);
  });

  it("a chat override on an app that is not defined", () => {
    const text = `${MINIMAL}    chats:\n      oc_1:\n        app: hr\n`;
    expect(problem(text)).toBe(
      'bots.support.chats.oc_1.app (line 14): no app named "hr" (apps defined: support)',
    );
  });

  it("two bots on the same Lark app", () => {
    const text = `${MINIMAL}  other:\n    appId: cli_a1\n    appSecret: x\n    app: support\n`;
    expect(problem(text)).toMatch(
      /^bots\.other\.appId \(line 13\): cli_a1 is already used by bot "support"/,
    );
  });

  it("a domain, event mode or group trigger that is not one of the choices", () => {
    const text = MINIMAL.replace(
      "    app: support\n",
      "    app: support\n    domain: larksuite\n    eventMode: socket\n    groupTrigger: always\n",
    );
    const message = problem(text);
    expect(message).toContain('bots.support.domain (line 12): "larksuite" is not a Lark domain');
    expect(message).toContain(
      "bots.support.eventMode (line 13): must be one of: webhook, websocket",
    );
    expect(message).toContain("bots.support.groupTrigger (line 14): must be one of: mention, all");
  });

  it("a database URL of another kind", () => {
    expect(problem(`database: mysql://db\n${MINIMAL}`)).toMatch(
      /^database \(line 1\): use sqlite:<path> .* or postgres:\/\//,
    );
  });

  it("never puts a secret's value into a message", () => {
    const path = yamlFile(MINIMAL.replace("appSecret: s3cret", "appSecret: [s3cret]"));
    const error = configErrorOf(path);
    expect(error.message).toContain("bots.support.appSecret (line 10): must be text");
    expect(error.message).not.toContain("s3cret");
  });

  it("reports every mistake at once, one line each, without echoes of an invalid app", () => {
    const text = `${MINIMAL.replace("model: gpt-4o-mini", "model: ''")}  other:\n    appId: x\n    appSecret: y\n    app: support\n`;
    const path = yamlFile(text);
    const lines = configErrorOf(path).message.split("\n");
    expect(lines).toEqual([
      `${path}: apps.support.model (line 6): must not be empty (the model name, e.g. gpt-4o-mini)`,
      `${path}: bots.other.appId (line 13): does not look like an App ID; it starts with "cli_" (e.g. cli_a41fe20b2539d00b)`,
    ]);
  });

  it("bots written as a list, and an app that is only a word", () => {
    expect(problem(`${MINIMAL.split("bots:")[0]}bots:\n  - appId: cli_1\n`)).toBe(
      "bots (line 7): must be a mapping of bot ids to their settings (`support:`, settings indented below)",
    );
    expect(problem(`apps:\n  support: openai\n`)).toBe(
      "apps.support (line 2): must be a mapping of settings (backend, baseUrl, apiKey…), one per line",
    );
  });

  it("accepts the minimal file, and a single id where a list is expected", () => {
    expect(loadConfig({ configPath: yamlFile(MINIMAL), env: {} }).bots).toHaveLength(1);
    const path = yamlFile(`${MINIMAL}    deny:\n      users: ou_1\n`);
    expect(loadConfig({ configPath: path, env: {} }).bots[0]?.access?.denyUsers).toEqual(["ou_1"]);
  });
});
