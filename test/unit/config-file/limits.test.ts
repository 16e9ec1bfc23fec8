import { describe, expect, it } from "vitest";
import { effectiveLimits } from "../../../src/config/limits.js";
import { loadConfig } from "../../../src/config/load-config.js";
import { questionLimits } from "../../../src/gateway/limits-for.js";
import { configErrorOf, MINIMAL, yamlFile } from "./config-file-helpers.js";

const withBot = (lines: string) => `${MINIMAL}${lines.replace(/^/gm, "    ")}\n`;
const load = (text: string) => loadConfig({ configPath: yamlFile(text), env: {} });
const problem = (text: string) => {
  const path = yamlFile(text);
  return configErrorOf(path).message.slice(path.length + 2);
};

describe("larkgate.yaml: limits", () => {
  it("has no limits unless some are written", () => {
    expect(load(MINIMAL).bots[0]).not.toHaveProperty("limits");
  });

  it("reads limits with sections per chat and per user, and an expiry date in local time", () => {
    const bot = load(
      withBot(`limits:
  perMinute: { user: 5, bot: 60 }
  tokens: { userDay: 20000, botMonth: 5000000 }
  expires: 2026-06-30
  concurrency: 2
  users:
    ou_boss: { tokens: { userDay: false } }
  chats:
    oc_team: { perMinute: { chat: 30 } }`),
    ).bots[0]!;
    expect(bot.limits).toMatchObject({
      perMinute: { user: 5, bot: 60 },
      tokens: { userDay: 20000, botMonth: 5000000 },
      expires: new Date(2026, 5, 30).getTime(),
      concurrency: 2,
    });
    // The boss has no daily token limit; the team chat adds a chat rate; both keep the rest.
    const boss = questionLimits(effectiveLimits([undefined, bot.limits], "oc_team", "ou_boss"));
    expect(boss.perMinute).toEqual({ user: 5, chat: 30, bot: 60 });
    expect(boss.budgets).toEqual([{ measure: "tokens", period: "botMonth", limit: 5000000 }]);
  });

  it("puts a bot's limits over its app's", () => {
    const app = { tokens: { userDay: 100, userMonth: 1000 }, contact: "app admin" };
    const bot = { tokens: { userDay: 500 } };
    const limits = questionLimits(effectiveLimits([app, bot], "oc_1", "ou_1"));
    expect(limits.budgets).toEqual([
      { measure: "tokens", period: "userDay", limit: 500 },
      { measure: "tokens", period: "userMonth", limit: 1000 },
    ]);
    expect(limits.contact).toBe("app admin");
  });

  it("names the path and the fix of a wrong limit", () => {
    expect(problem(withBot("limits:\n  tokens: { userWeek: 5 }"))).toMatch(
      /^bots\.support\.limits\.tokens \(line \d+\): unknown key "userWeek" \(allowed: userDay, userMonth, chatMonth, botMonth\)/,
    );
    expect(problem(withBot("limits:\n  perMinute: { user: -1 }"))).toMatch(
      /^bots\.support\.limits\.perMinute\.user \(line \d+\): must be a number \(0 or more\), or false/,
    );
    expect(problem(withBot("limits:\n  expires: next week"))).toMatch(
      /^bots\.support\.limits\.expires \(line \d+\): must be a date \(2026-06-30\) or a time/,
    );
  });

  it("reads model prices on an app", () => {
    const text = MINIMAL.replace(
      "    model: gpt-4o-mini\n",
      "    model: gpt-4o-mini\n    prices: { gpt-4o-mini: { input: 0.15, output: 0.6 } }\n",
    );
    expect(load(text).bots[0]!.app.prices).toEqual({ "gpt-4o-mini": { input: 0.15, output: 0.6 } });
  });
});
