import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createStore } from "../../../src/store/create-store.js";
import type { BudgetRule } from "../../../src/store/store.js";
import { ensureBuilt, runCli, tempDir, writeFile } from "./larkgate-cli.js";

function config(dir: string, url: string): string {
  return writeFile(
    dir,
    "larkgate.yaml",
    `database: ${url}
apps:
  main: { backend: openai, apiKey: sk-test, model: m }
bots:
  support:
    appId: cli_a1
    appSecret: s
    app: main
    limits:
      perMinute: { user: 5 }
      questions: { userDay: 2, botMonth: 1000 }
`,
  );
}

describe("larkgate usage", () => {
  beforeAll(() => ensureBuilt());

  it("shows a user's use against each limit, and a grant lets them ask again today", async () => {
    const dir = tempDir();
    const url = `sqlite:${join(dir, "larkgate.db")}`;
    const path = config(dir, url);
    // Two questions of Alice's today, counted as the gateway counts them.
    const rule: BudgetRule = {
      kind: "budget",
      key: "questions:user:day:support:ou_alice",
      window: "day",
      limit: 2,
      reserve: 1,
    };
    const store = await createStore(url);
    await store.admit({ rules: [rule] });
    await store.admit({ rules: [rule] });
    expect((await store.admit({ rules: [rule] })).admitted).toBe(false);
    await store.close();

    const shown = await runCli(["usage", "-c", path, "--bot", "support", "--user", "ou_alice"]);
    expect(shown.stderr).toBe("");
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^perMinute\.user: 5 of 5 requests left/m);
    expect(shown.stdout).toMatch(/^questions\.userDay: 2 of 2 used, resets .*\[reached\]$/m);
    expect(shown.stdout).toMatch(/^questions\.botMonth: 0 of 1000 used/m);

    const granted = await runCli([
      "usage",
      "-c",
      path,
      "--bot",
      "support",
      "--user",
      "ou_alice",
      "--grant",
      "3",
      "--limit",
      "questions.userDay",
    ]);
    expect(granted.code).toBe(0);
    expect(granted.stdout).toContain("granted 3 to questions.userDay for its current window");
    expect(granted.stdout).toMatch(/^questions\.userDay: 2 of 5 used \(2 \+ 3 granted\)/m);

    const again = await createStore(url);
    try {
      expect((await again.admit({ rules: [rule] })).admitted).toBe(true);
    } finally {
      await again.close();
    }
  });

  it("names the budgets a grant may go to when --limit names none", async () => {
    const dir = tempDir();
    const path = config(dir, `sqlite:${join(dir, "larkgate.db")}`);
    const result = await runCli([
      "usage",
      "-c",
      path,
      "--bot",
      "support",
      "--grant",
      "3",
      "--limit",
      "tokens.userDay",
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "not a budget of bot support here (budgets: questions.botMonth; user budgets need --user",
    );
  });
});
