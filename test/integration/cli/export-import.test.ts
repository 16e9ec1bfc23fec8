import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStore } from "../../../src/store/create-store.js";
import type { Exchange, NewExchange, Store } from "../../../src/store/store.js";
import {
  createSchemaFactory,
  postgresTestUrl,
  postgresUnreachable,
} from "../../store/postgres-test-database.js";
import { ensureBuilt, runCli, tempDir } from "./larkgate-cli.js";

const unreachable = await postgresUnreachable(postgresTestUrl);
if (unreachable && process.env.CI) {
  throw new Error(`PostgreSQL must be reachable in CI at ${postgresTestUrl}: ${unreachable}`);
}

function exchange(overrides: Partial<NewExchange>): NewExchange {
  return {
    botId: "support",
    conversationKey: "p2p:oc_a",
    generation: 1,
    chatId: "oc_a",
    senderOpenId: "ou_alice",
    messageId: `om_${Math.random().toString(36).slice(2)}`,
    question: "你好，how are you?",
    answer: "Fine, **thanks**.\n\n| a | b |",
    model: "gpt-4o-mini",
    promptTokens: 12,
    completionTokens: 30,
    latencyMs: 1234,
    status: "done",
    ...overrides,
  };
}

/** A chat log with what a real one holds: roles, answer styles, a superseded answer, errors. */
async function seed(store: Store): Promise<void> {
  const now = Date.now() - 60_000;
  await store.recordExchange(exchange({ question: "first" }), now);
  const superseded = await store.recordExchange(exchange({ question: "again?" }), now + 1);
  await store.supersedeExchange(superseded.id);
  await store.recordExchange(exchange({ question: "again?", answer: "better" }), now + 2);
  await store.updateSettings("support", "p2p:oc_a", { systemPrompt: "You are a translator." });
  await store.resetConversation("support", "p2p:oc_b");
  await store.recordExchange(
    exchange({
      conversationKey: "p2p:oc_b",
      chatId: "oc_b",
      generation: 2,
      answer: "",
      status: "error",
      error: "timeout",
      reasoning: "thinking…",
      promptTokens: null,
      completionTokens: null,
    }),
    now + 3,
  );
  await store.updateBackendState("support", "p2p:oc_b", { conversation_id: "dify-1" });
}

/** What a user would notice of a database: every exchange (without ids) and conversation. */
async function contents(store: Store) {
  const strip = ({ id: _id, ...rest }: Exchange) => rest;
  const exchanges = (await store.listExchanges({ botId: "support", limit: 100 })).map(strip);
  const conversations = await Promise.all(
    ["p2p:oc_a", "p2p:oc_b"].map((key) => store.getConversation("support", key)),
  );
  const history = await store.loadHistory("support", "p2p:oc_a", 1, { limit: 10 });
  return { exchanges, conversations, history: history.map((h) => [h.question, h.answer]) };
}

describe.skipIf(Boolean(unreachable))("larkgate export and import", () => {
  const schemas = createSchemaFactory(postgresTestUrl);
  beforeAll(() => ensureBuilt());
  afterAll(() => schemas.dropAll());

  it("moves a SQLite chat log to PostgreSQL and back, losing nothing", async () => {
    const dir = tempDir();
    const sqliteUrl = `sqlite:${join(dir, "larkgate.db")}`;
    const source = await createStore(sqliteUrl);
    await seed(source);
    const before = await contents(source);
    await source.close();
    expect(before.exchanges).toHaveLength(4);

    const file = join(dir, "export.jsonl");
    const exported = await runCli(["export", "--database", sqliteUrl, "--out", file]);
    expect(exported.stderr).toBe("");
    expect(exported.stdout).toContain("4 exchanges, 2 conversations exported");
    expect(JSON.parse(readFileSync(file, "utf8").split("\n")[0]!)).toMatchObject({
      larkgate: "export",
      version: 1,
      from: "sqlite",
    });

    const pgUrl = await schemas.create();
    const imported = await runCli(["import", "--database", pgUrl, file]);
    expect(imported.stdout).toContain("4 exchanges, 2 conversations imported");
    const target = await createStore(pgUrl);
    expect(await contents(target)).toEqual(before);
    await target.close();

    // And back: PostgreSQL → a new SQLite file.
    const back = join(dir, "back.jsonl");
    await runCli(["export", "--database", pgUrl, "--out", back]);
    const againUrl = `sqlite:${join(dir, "again.db")}`;
    await runCli(["import", "--database", againUrl, back]);
    const again = await createStore(againUrl);
    expect(await contents(again)).toEqual(before);
    await again.close();
  });

  it("refuses to merge into a chat log, and a file that is not an export, changing nothing", async () => {
    const dir = tempDir();
    const url = `sqlite:${join(dir, "larkgate.db")}`;
    const store = await createStore(url);
    await seed(store);
    await store.close();
    const file = join(dir, "export.jsonl");
    await runCli(["export", "--database", url, "--out", file]);

    const busy = await runCli(["import", "--database", url, file]);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain("already has a chat log; import into a new, empty database");

    const notExport = join(dir, "notes.jsonl");
    writeFileSync(notExport, '{"hello":"world"}\n');
    const empty = `sqlite:${join(dir, "empty.db")}`;
    const refused = await runCli(["import", "--database", empty, notExport]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("line 1 is not a larkgate export header");
  });
});
