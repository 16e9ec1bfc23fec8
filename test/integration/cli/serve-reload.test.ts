import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createFakeLark, type FakeLark } from "../../kit/fake-lark.js";
import {
  ensureBuilt,
  type RunningCli,
  runCli,
  startCli,
  tempDir,
  writeFile,
} from "./larkgate-cli.js";

const ADMIN_TOKEN = "admin-token-for-tests";

let lark: FakeLark;
const running: RunningCli[] = [];

beforeAll(async () => {
  ensureBuilt();
  lark = await createFakeLark();
});

afterEach(async () => {
  for (const cli of running.splice(0)) await cli.stop("SIGKILL");
});

afterAll(async () => {
  await lark?.close();
});

/** A config with one webhook bot per id, all on one OpenAI-compatible app. */
function configText(botIds: string[]): string {
  const bots = botIds
    .map(
      (id, index) =>
        `  ${id}:\n    appId: cli_serve${index}${id.replace(/\W/g, "")}\n    appSecret: \${BOT_SECRET}\n    domain: ${lark.url}\n    app: main\n`,
    )
    .join("");
  return `apps:\n  main:\n    backend: openai\n    baseUrl: http://127.0.0.1:9/v1\n    apiKey: sk-test\n    model: m\nbots:\n${bots}`;
}

async function startServe(botIds: string[]) {
  const dir = tempDir();
  const path = writeFile(dir, "larkgate.yaml", configText(botIds));
  const cli = startCli(["serve", "--config", path], {
    cwd: dir,
    env: {
      HTTP_HOST: "127.0.0.1",
      HTTP_PORT: "0",
      DATABASE_URL: `sqlite:${join(dir, "larkgate.db")}`,
      BOT_SECRET: "secret",
      ADMIN_TOKEN,
    },
  });
  running.push(cli);
  await cli.waitForOutput('"msg":"larkgate listening"');
  const url = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(cli.output())?.[1];
  if (!url) throw new Error(`no url in:\n${cli.output()}`);
  const bots = async () =>
    ((await (await fetch(`${url}/healthz`)).json()) as { bots: string[] }).bots;
  return { cli, path, url, bots };
}

describe("larkgate serve", () => {
  it("applies the re-read config on SIGHUP, and keeps the running one when the file is invalid", async () => {
    const gateway = await startServe(["support"]);
    expect(await gateway.bots()).toEqual(["support"]);

    writeFileSync(gateway.path, configText(["support", "coder"]));
    gateway.cli.child.kill("SIGHUP");
    await gateway.cli.waitForOutput('"msg":"configuration reloaded"');
    expect(await gateway.bots()).toEqual(["support", "coder"]);

    writeFileSync(gateway.path, configText(["support"]).replace("app: main", "app: nope"));
    gateway.cli.child.kill("SIGHUP");
    await gateway.cli.waitForOutput("configuration not reloaded");
    expect(gateway.cli.output()).toContain(
      `${gateway.path}: bots.support.app (line 12): no app named \\"nope\\" (apps defined: main)`,
    );
    expect(await gateway.bots()).toEqual(["support", "coder"]);

    expect(await gateway.cli.stop("SIGTERM")).toBe(0);
    expect(gateway.cli.output()).not.toContain("sk-test");
  });

  it("exits 2 naming the file and the mistake when the config is invalid", async () => {
    const dir = tempDir();
    const path = writeFile(dir, "larkgate.yaml", configText(["support"]).replace("model: m\n", ""));
    const result = await runCli(["serve", "--config", path], {
      cwd: dir,
      env: { BOT_SECRET: "x" },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `larkgate: configuration error: ${path}: apps.main.model (line 2): is required`,
    );
  });
});

describe("larkgate reload", () => {
  it("makes a running gateway apply its config, and reports a refusal with its reason", async () => {
    const gateway = await startServe(["support"]);
    writeFileSync(gateway.path, configText(["support", "hr"]));
    const ok = await runCli(["reload", "--url", gateway.url], { env: { ADMIN_TOKEN } });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain("✓ reloaded: 2 bot(s) support, hr");
    expect(await gateway.bots()).toEqual(["support", "hr"]);

    writeFileSync(gateway.path, configText(["Bad Id"]));
    const refused = await runCli(["reload", "--url", gateway.url], { env: { ADMIN_TOKEN } });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /the new configuration was refused, the running one stays: .*cannot be a bot id/,
    );
    expect(await gateway.bots()).toEqual(["support", "hr"]);

    const wrongToken = await runCli(["reload", "--url", gateway.url], {
      env: { ADMIN_TOKEN: "nope" },
    });
    expect(wrongToken.code).toBe(1);
    expect(wrongToken.stderr).toContain("refused ADMIN_TOKEN");
  });

  it("needs ADMIN_TOKEN, and says when nothing listens", async () => {
    const noToken = await runCli(["reload"]);
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain("ADMIN_TOKEN is not set");

    const nobody = await runCli(["reload", "--url", "http://127.0.0.1:9"], {
      env: { ADMIN_TOKEN },
    });
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain("cannot reach the gateway at http://127.0.0.1:9");
  });
});
