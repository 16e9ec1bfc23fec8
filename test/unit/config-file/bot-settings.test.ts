import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config/load-config.js";
import { configErrorOf, MINIMAL, yamlFile } from "./config-file-helpers.js";

/** MINIMAL with `lines` added to the bot `support` (indented under it). */
const withBot = (lines: string) => `${MINIMAL}${lines.replace(/^/gm, "    ")}\n`;
const load = (text: string, env: Record<string, string> = {}) =>
  loadConfig({ configPath: yamlFile(text), env });
const problem = (text: string) => {
  const path = yamlFile(text);
  return configErrorOf(path).message.slice(path.length + 2);
};

describe("larkgate.yaml: a bot's language, commands, confirmation and welcome", () => {
  it("resolves language auto from the domain, so every bot has one", () => {
    expect(load(MINIMAL).bots[0]!.language).toBe("zh");
    expect(load(withBot("domain: lark")).bots[0]!.language).toBe("en");
    expect(load(withBot("domain: lark\nlanguage: zh")).bots[0]!.language).toBe("zh");
    expect(problem(withBot("language: de"))).toBe(
      "bots.support.language (line 12): must be one of: zh, en, auto",
    );
  });

  it("turns commands off or renames them; the rest keep their words", () => {
    const bot = load(
      withBot(
        "commands:\n  picture: false\n  help: [/help, 帮助, 菜单]\n  roles: 角色\n  clear: true",
      ),
    ).bots[0]!;
    expect(bot.commands).toEqual({
      picture: false,
      help: ["/help", "帮助", "菜单"],
      roles: ["角色"],
    });
    expect(load(MINIMAL).bots[0]).not.toHaveProperty("commands");
  });

  it("names an unknown command, listing the allowed ones, and words that cannot be typed", () => {
    expect(problem(withBot("commands:\n  hlep: false"))).toBe(
      "bots.support.commands.hlep (line 13): unknown command (allowed: help, clear, system, roles, ai_mode, model, usage, picture, vision)",
    );
    const message = problem(
      withBot('commands:\n  help: "/help me"\n  roles: []\n  system: [/system, ""]\n  usage: 3'),
    );
    expect(message).toContain(
      "bots.support.commands.help (line 13): a command word must be text without spaces",
    );
    expect(message).toContain(
      "bots.support.commands.roles (line 14): an empty list gives the command no word",
    );
    expect(message).toContain(
      "bots.support.commands.system[1] (line 15): a command word must be text",
    );
    expect(message).toContain(
      "bots.support.commands.usage (line 16): must be false (off), a word, or a list",
    );
  });

  it("refuses one word for two commands", () => {
    expect(problem(withBot("commands:\n  help: 帮助\n  roles: [角色, 帮助]"))).toBe(
      'bots.support.commands.roles[1] (line 14): "帮助" is already a word of help; each word starts one command',
    );
  });

  it('skips the /clear confirmation with confirmClear: false, and the welcome with false or ""', () => {
    const bot = load(withBot("confirmClear: false\nwelcome: false")).bots[0]!;
    expect(bot).toMatchObject({ confirmClear: false, welcome: "" });
    expect(load(withBot('welcome: ""')).bots[0]!.welcome).toBe("");
    expect(load(withBot("welcome: Hello, I answer from the handbook.")).bots[0]!.welcome).toBe(
      "Hello, I answer from the handbook.",
    );
    expect(load(MINIMAL).bots[0]).not.toHaveProperty("welcome");
    expect(problem(withBot("welcome: true"))).toMatch(
      /^bots\.support\.welcome \(line 12\): must be text, or false/,
    );
  });
});

describe("larkgate.yaml: keys, models and roles", () => {
  it("takes several keys for an OpenAI app, as a list or comma-separated", () => {
    const listed = load(MINIMAL.replace("apiKey: sk-test", "apiKey: [sk-1, sk-2]")).bots[0]!.app;
    expect(listed).toMatchObject({ apiKey: "sk-1", apiKeys: ["sk-1", "sk-2"] });
    const joined = load(MINIMAL.replace("apiKey: sk-test", `apiKey: "\${KEYS}"`), {
      KEYS: "sk-1,sk-2",
    }).bots[0]!.app;
    expect(joined).toMatchObject({ apiKey: "sk-1", apiKeys: ["sk-1", "sk-2"] });
    expect(load(MINIMAL).bots[0]!.app).not.toHaveProperty("apiKeys");
    expect(problem(MINIMAL.replace("apiKey: sk-test", 'apiKey: ","'))).toBe(
      "apps.support.apiKey (line 5): must not be empty",
    );
  });

  it("offers an app's models to /model", () => {
    const text = MINIMAL.replace(
      "model: gpt-4o-mini",
      "model: gpt-4o-mini\n    models: [gpt-4o, gpt-4o-mini]",
    );
    expect(load(text).bots[0]!.app).toMatchObject({ models: ["gpt-4o", "gpt-4o-mini"] });
  });

  it("reads roles relative to the file's folder; ROLE_LIST_FILE overrides it", () => {
    const path = yamlFile(`roles: team-roles.yaml\n${MINIMAL}`);
    const roles = join(dirname(path), "team-roles.yaml");
    const message = configErrorOf(path).message;
    expect(message).toMatch(
      /roles \(line 1\): the role list "\/.*team-roles\.yaml" does not exist/,
    );
    writeFileSync(roles, "- title: Translator\n  content: Translate.\n  tags: [writing]\n");
    expect(loadConfig({ configPath: path, env: {} }).rolesFile).toBe(roles);
    const other = join(dirname(path), "other.yaml");
    writeFileSync(other, "[]\n");
    expect(loadConfig({ configPath: path, env: { ROLE_LIST_FILE: other } }).rolesFile).toBe(other);
  });

  it("transcribes voice with an OpenAI or Azure app by default, and refuses openai for an app without the API", () => {
    expect(load(MINIMAL).bots[0]!.voice).toBe("openai");
    expect(load(withBot("voice: lark")).bots[0]!.voice).toBe("lark");
    const fastgpt = MINIMAL.replace(
      "backend: openai\n    apiKey: sk-test\n    model: gpt-4o-mini",
      "backend: fastgpt\n    apiKey: fastgpt-key\n    baseUrl: https://cloud.fastgpt.cn",
    );
    expect(load(fastgpt).bots[0]!.voice).toBe("off");
    const withVoice = (voice: string) => `${fastgpt}    voice: ${voice}\n`;
    expect(load(withVoice("lark")).bots[0]!.voice).toBe("lark");
    expect(problem(withVoice("openai"))).toMatch(
      /^bots\.support\.voice \(line 12\): openai transcribes with the app's \/audio\/transcriptions, and app "support" is fastgpt, which has none: use lark \(Lark's speech recognition, scope speech_to_text:speech\) or off/,
    );
    expect(problem(withBot("voice: whisper"))).toMatch(
      /voice \(line \d+\): must be one of: openai, lark, off/,
    );
  });
});
