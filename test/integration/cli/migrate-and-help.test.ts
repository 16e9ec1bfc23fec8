import { existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createStore } from "../../../src/store/create-store.js";
import { ensureBuilt, runCli, tempDir } from "./larkgate-cli.js";

beforeAll(() => ensureBuilt());

describe("larkgate migrate", () => {
  it("creates the tables in a fresh SQLite file, and is a no-op the second time", async () => {
    const dir = tempDir();
    const file = join(dir, "data", "larkgate.db");
    const first = await runCli(["migrate", "--database", `sqlite:${file}`]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^✓ sqlite:.*larkgate\.db: created, schema up to date/);
    expect(existsSync(file)).toBe(true);

    const again = await runCli(["migrate", "--database", `sqlite:${file}`]);
    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain("created");

    // The schema is really there: a store that does not migrate can use it.
    const store = await createStore(`sqlite:${file}`, { migrate: false });
    try {
      await expect(store.listExchanges({ limit: 1 })).resolves.toEqual([]);
    } finally {
      await store.close();
    }
  });

  it("uses DATABASE_URL when no option is given", async () => {
    const dir = tempDir();
    const result = await runCli(["migrate"], {
      cwd: dir,
      env: { DATABASE_URL: "sqlite:./db/x.db" },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(join(dir, "db", "x.db"))).toBe(true);
  });

  it("fails with the reason when the database cannot be opened", async () => {
    const result = await runCli(["migrate", "--database", "mysql://db/larkgate"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/✗ mysql:\/\/db\/larkgate: DATABASE_URL must be "sqlite:<path>"/);
  });
});

describe("larkgate --help", () => {
  it("lists every command at the root", async () => {
    const result = await runCli(["--help"]);
    expect(result.code).toBe(0);
    for (const command of ["serve", "check", "logs", "migrate", "reload"]) {
      expect(result.stdout).toMatch(new RegExp(`^ {2}${command} +\\S`, "m"));
    }
  });

  it.each(["serve", "check", "logs", "migrate", "reload"])("explains `%s`", async (command) => {
    const result = await runCli([command, "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: larkgate ${command}`));
    expect(result.stdout).toContain("--help");
  });

  it("refuses an unknown command or option with a pointer to the help", async () => {
    const unknown = await runCli(["serv"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "serv"');

    const option = await runCli(["logs", "--bots", "x"]);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("Unknown option '--bots'");
    expect(option.stderr).toContain('Run "larkgate logs --help"');
  });
});
