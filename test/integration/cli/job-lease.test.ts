import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStore } from "../../../src/store/create-store.js";
import { createFakeLark, type FakeLark } from "../../kit/fake-lark.js";
import { createFakeLlm, type FakeLlm } from "../../kit/fake-llm.js";
import { messageEvent } from "../../kit/lark-events.js";
import { waitFor } from "../../kit/wait-for.js";
import { ensureBuilt, type RunningCli, startCli, tempDir, writeFile } from "./larkgate-cli.js";

let lark: FakeLark;
let llm: FakeLlm;
let cli: RunningCli | undefined;

beforeAll(async () => {
  ensureBuilt();
  [lark, llm] = await Promise.all([createFakeLark(), createFakeLlm()]);
});

afterAll(async () => {
  await cli?.stop("SIGKILL");
  await Promise.all([lark?.close(), llm?.close()]);
});

/** Regression: JOB_LEASE_MS was read, then dropped whenever a config file was used. */
describe("JOB_LEASE_MS with a config file", () => {
  it("is the lease a running answer holds", async () => {
    const dir = tempDir();
    const databaseUrl = `sqlite:${join(dir, "larkgate.db")}`;
    const path = writeFile(
      dir,
      "larkgate.yaml",
      `apps:\n  main:\n    backend: openai\n    baseUrl: ${llm.url}\n    apiKey: ${llm.apiKey}\n    model: m\nbots:\n  support:\n    appId: ${lark.app.appId}\n    appSecret: \${BOT_SECRET}\n    domain: ${lark.url}\n    app: main\n`,
    );
    const leaseMs = 5_000;
    cli = startCli(["serve", "--config", path], {
      cwd: dir,
      env: {
        HTTP_HOST: "127.0.0.1",
        HTTP_PORT: "0",
        DATABASE_URL: databaseUrl,
        BOT_SECRET: lark.app.appSecret,
        JOB_LEASE_MS: String(leaseMs),
      },
    });
    await cli.waitForOutput('"msg":"larkgate listening"');
    const url = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(cli.output())?.[1];
    llm.script({ hang: true }); // the answer stays running, renewing its lease
    await lark.push(
      `${url}/webhook/support/event`,
      messageEvent({
        appId: lark.app.appId,
        chatId: "oc_lease",
        chatType: "p2p",
        senderOpenId: "ou_lease",
        text: "hold on",
      }),
    );
    await waitFor(() => llm.requests.length === 1, { label: "the model was asked" });

    const store = await createStore(databaseUrl);
    try {
      const job = await store.getJob(1);
      expect(job?.status).toBe("running");
      // Claimed and renewed with the configured lease, not the 60 s default.
      expect(job!.leaseUntil! - Date.now()).toBeLessThanOrEqual(leaseMs);
    } finally {
      await store.close();
    }
  });
});
