import { existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createStore } from "../../../src/store/create-store.js";
import type { NewExchange } from "../../../src/store/store.js";
import { ensureBuilt, runCli, startCli, tempDir, writeFile } from "./larkgate-cli.js";

const HOUR = 3_600_000;

function exchange(overrides: Partial<NewExchange>): NewExchange {
  return {
    botId: "support",
    conversationKey: "p2p:oc_support1",
    generation: 1,
    chatId: "oc_support1",
    senderOpenId: "ou_alice",
    messageId: `om_${Math.random().toString(36).slice(2)}`,
    question: "How do I reset my password?",
    answer: "Open Settings, then Security.",
    model: "gpt-4o-mini",
    promptTokens: 12,
    completionTokens: 30,
    latencyMs: 1234,
    status: "done",
    ...overrides,
  };
}

/** A SQLite log with three exchanges: two of the support bot, one of the coder bot. */
async function seededDatabase(): Promise<{ dir: string; url: string }> {
  const dir = tempDir();
  const url = `sqlite:${join(dir, "larkgate.db")}`;
  const store = await createStore(url);
  const now = Date.now();
  await store.recordExchange(exchange({ question: "old question" }), now - 3 * HOUR);
  await store.recordExchange(
    exchange({
      botId: "coder",
      chatId: "oc_eng",
      senderOpenId: "ou_bob",
      question: "Why does\nthe build fail?",
      answer: "",
      status: "error",
      error: "timeout: the model did not answer in time",
      model: "deepseek-chat",
      promptTokens: null,
      completionTokens: null,
    }),
    now - HOUR / 2,
  );
  await store.recordExchange(exchange({ question: "new question", chatId: "oc_support2" }), now);
  await store.close();
  return { dir, url };
}

let db: { dir: string; url: string };

beforeAll(async () => {
  ensureBuilt();
  db = await seededDatabase();
});

describe("larkgate logs", () => {
  it("prints every exchange oldest first, one readable line each", async () => {
    const result = await runCli(["logs", "--database", db.url]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}support {2}oc_support1 {2}ou_alice {2}done {2}1\.2s {2}gpt-4o-mini {2}12\+30 tok {2}"old question" → "Open Settings, then Security\."$/,
    );
    // Errors show their reason; multi-line questions stay on one line.
    expect(lines[1]).toContain("coder  oc_eng  ou_bob  error");
    expect(lines[1]).toContain(
      '"Why does the build fail?" → ✗ timeout: the model did not answer in time',
    );
    expect(lines[2]).toContain('"new question"');
  });

  it("filters by bot, chat, user and time, and keeps the last --limit entries", async () => {
    const byBot = await runCli(["logs", "--database", db.url, "--bot", "coder"]);
    expect(byBot.stdout.trim().split("\n")).toEqual([expect.stringContaining("Why does")]);

    const byChat = await runCli(["logs", "--database", db.url, "--chat", "oc_support2"]);
    expect(byChat.stdout.trim().split("\n")).toEqual([expect.stringContaining("new question")]);

    const byUser = await runCli(["logs", "--database", db.url, "--user", "ou_alice"]);
    expect(byUser.stdout.trim().split("\n")).toHaveLength(2);

    const recent = await runCli(["logs", "--database", db.url, "--since", "1h"]);
    expect(recent.stdout).not.toContain("old question");
    expect(recent.stdout.trim().split("\n")).toHaveLength(2);

    const last = await runCli(["logs", "--database", db.url, "-n", "1"]);
    expect(last.stdout.trim().split("\n")).toEqual([expect.stringContaining("new question")]);

    const none = await runCli(["logs", "--database", db.url, "--bot", "nobody"]);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe("");
    expect(none.stderr).toContain("no chat log entries match");
  });

  it("serve deletes chat-log entries older than CHAT_LOG_RETENTION_DAYS when it starts", async () => {
    const { dir, url } = await seededDatabase();
    const store = await createStore(url);
    await store.recordExchange(
      exchange({ question: "last week's question" }),
      Date.now() - 168 * HOUR,
    );
    await store.close();
    const serve = startCli(["serve"], {
      cwd: dir,
      env: {
        DATABASE_URL: url,
        HTTP_PORT: "0",
        HTTP_HOST: "127.0.0.1",
        CHAT_LOG_RETENTION_DAYS: "1",
      },
    });
    try {
      // `*`: the gateway's own retention (no bot has one of its own here).
      await serve.waitForOutput(
        /"exchanges":\{"\*":1\}.*"msg":"old dedup keys, jobs, file rows and chat log pruned"/,
      );
    } finally {
      await serve.stop();
    }
    const result = await runCli(["logs", "--database", url]);
    expect(result.stdout).not.toContain("last week's question");
    // The three entries of the last hours stay.
    expect(result.stdout.trim().split("\n")).toHaveLength(3);
  });

  it("emits one parseable JSON object per line with --json", async () => {
    const result = await runCli(["logs", "--database", db.url, "--json"]);
    expect(result.code).toBe(0);
    const rows = result.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(rows.map((r) => r.question)).toEqual([
      "old question",
      "Why does\nthe build fail?",
      "new question",
    ]);
    expect(rows[1]).toMatchObject({ botId: "coder", status: "error", senderOpenId: "ou_bob" });
    expect(new Date(rows[2].time).getTime()).toBe(rows[2].createdAt);
  });

  it("finds the database through the config file, without the bots' secrets", async () => {
    const config = writeFile(
      db.dir,
      "larkgate.yaml",
      `database: ${db.url}\napps:\n  a:\n    backend: openai\n    apiKey: \${UNSET_KEY}\n    model: m\n`,
    );
    const result = await runCli(["logs", "--config", config, "--bot", "coder"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("Why does the build fail?");
  });

  it("says so instead of creating an empty database when the file does not exist", async () => {
    const dir = tempDir();
    const result = await runCli(["logs", "--database", "sqlite:./missing.db"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("no database at ./missing.db");
    expect(existsSync(join(dir, "missing.db"))).toBe(false);
  });

  it("rejects a --since it cannot read", async () => {
    const result = await runCli(["logs", "--database", db.url, "--since", "yesterday"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--since "yesterday": use a duration/);
  });

  it("--follow prints new exchanges as they are recorded, until Ctrl-C", async () => {
    const { url } = await seededDatabase();
    const follower = startCli(["logs", "--database", url, "--follow", "--json", "-n", "1"]);
    await follower.waitForOutput("new question");
    const store = await createStore(url);
    try {
      await store.recordExchange(exchange({ question: "arrived while following" }));
    } finally {
      await store.close();
    }
    await follower.waitForOutput("arrived while following");
    expect(await follower.stop("SIGINT")).toBe(0);
    const questions = follower
      .output()
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line).question);
    expect(questions).toEqual(["new question", "arrived while following"]);
  });
});
