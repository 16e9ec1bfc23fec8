import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createStore } from "../../../src/store/create-store.js";
import type { NewExchange } from "../../../src/store/store.js";
import { ensureBuilt, runCli, tempDir, writeFile } from "./larkgate-cli.js";

const DAY = 24 * 60 * 60 * 1000;

const exchange = (botId: string, question: string): NewExchange => ({
  botId,
  conversationKey: "p2p:oc_1",
  generation: 1,
  chatId: "oc_1",
  senderOpenId: "ou_alice",
  messageId: `om_${Math.random().toString(36).slice(2)}`,
  question,
  answer: "an answer",
  model: "m",
  latencyMs: 10,
  status: "done",
});

/** Two bots: `brief` keeps 7 days, `steady` follows the gateway's 30; `forever` keeps all. */
function config(dir: string, url: string): string {
  const bot = (appId: string, extra = "") => `{ appId: ${appId}, appSecret: s, app: main${extra} }`;
  return writeFile(
    dir,
    "larkgate.yaml",
    `database: ${url}
chatLogRetentionDays: 30
apps:
  main: { backend: openai, apiKey: sk-test, model: m }
bots:
  brief: ${bot("cli_a1", ", chatLogRetentionDays: 7")}
  steady: ${bot("cli_a2")}
  forever: ${bot("cli_a3", ", chatLogRetentionDays: 0")}
`,
  );
}

describe("larkgate prune", () => {
  beforeAll(() => ensureBuilt());

  it("says what would go with --dry-run, then removes exactly that, per bot's retention", async () => {
    const dir = tempDir();
    const url = `sqlite:${join(dir, "larkgate.db")}`;
    const store = await createStore(url);
    const now = Date.now();
    for (const botId of ["brief", "steady", "forever", "gone"]) {
      await store.recordExchange(exchange(botId, "10 days old"), now - 10 * DAY);
      await store.recordExchange(exchange(botId, "40 days old"), now - 40 * DAY);
      await store.recordExchange(exchange(botId, "today"), now);
    }
    await store.rememberKey("event:old", now - 3 * DAY);
    await store.rememberKey("event:new", now);
    // A file sent alone an hour ago waited past its 30 minutes; one sent just now still waits.
    const held = (id: string, at: number) =>
      store.holdFiles(
        "steady",
        `p2p:oc_${id}`,
        [{ messageId: `om_${id}`, key: id, name: "a.pdf" }],
        {
          now: at,
          expireBefore: 0,
        },
      );
    await held("stale", now - 60 * 60 * 1000);
    await held("fresh", now);
    await store.close();
    const file = config(dir, url);

    const dry = await runCli(["prune", "--dry-run", "--config", file]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("would remove");
    expect(dry.stdout).toContain("1 dedup keys and 0 finished jobs");
    expect(dry.stdout).toContain("1 expired file rows");
    expect(dry.stdout).toContain("2 chat-log exchanges past bot brief's retention");
    // steady and the unconfigured bot "gone" follow the gateway's 30 days.
    expect(dry.stdout).toContain("2 chat-log exchanges past the gateway's retention");

    const done = await runCli(["prune", "--config", file]);
    expect(done.stdout).toContain("removed");
    const after = await createStore(url);
    const left = await after.listExchanges({ limit: 100 });
    const by = (bot: string) =>
      left
        .filter((e) => e.botId === bot)
        .map((e) => e.question)
        .sort();
    expect(by("brief")).toEqual(["today"]);
    expect(by("steady")).toEqual(["10 days old", "today"]);
    expect(by("gone")).toEqual(["10 days old", "today"]);
    expect(by("forever")).toEqual(["10 days old", "40 days old", "today"]);
    expect(await after.hasKey("event:old")).toBe(false);
    expect(await after.hasKey("event:new")).toBe(true);
    expect(await after.takeHeldFiles("steady", "p2p:oc_stale", "om_q", 0)).toEqual([]);
    expect(await after.takeHeldFiles("steady", "p2p:oc_fresh", "om_q", 0)).toHaveLength(1);
    await after.close();

    const again = await runCli(["prune", "--dry-run", "--config", file]);
    expect(again.stdout).toContain("0 chat-log exchanges past bot brief's retention");
  });
});
