import { randomBytes } from "node:crypto";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isFinal } from "../e2e/card-helpers.js";
import { createFakeLark, type FakeLark, messageText } from "../kit/fake-lark.js";
import { createFakeLlm, type FakeLlm } from "../kit/fake-llm.js";
import { challengeBody, messageEvent } from "../kit/lark-events.js";
import { tempDir } from "../temp-dir.js";
import {
  baseImage,
  createPodman,
  type Podman,
  podmanMissing,
  provideBaseImage,
  ROOT,
} from "./podman.js";
import { freePort, portFree, waitForOk } from "./ports.js";

const base = baseImage();
const missing = podmanMissing() ?? ("missing" in base ? base.missing : undefined);
if (missing && process.env.CI) {
  throw new Error(`The image must be built and run in CI: ${missing}`);
}

const IMAGE = "localhost/larkgate:test";
const ENCRYPT_KEY = "container-encrypt-key";
const TOKEN = "container-verification-token";
/** The seed's own port; the gateway listens there unless something on this machine already does. */
const SEED_PORT = 9000;
const MINUTE = 60_000;

/**
 * The image as a czlchat-feishu user runs it: built from the Dockerfile by podman (this CI
 * machine has no Docker daemon; .ci/container-base.sh makes the base image), started with the
 * seed guide's `docker run` line against the fake Lark Open Platform and the fake LLM on this
 * machine, then stopped the way `docker stop` does it.
 */
describe.skipIf(Boolean(missing))(
  `the Docker image${missing ? ` (skipped: ${missing})` : ""}`,
  () => {
    let podman: Podman;
    let lark: FakeLark;
    let llm: FakeLlm;
    let gateway: Awaited<ReturnType<typeof runSeedLine>>;
    const figures: Record<string, string> = {};

    /**
     * The seed's line: `docker run -d -e BOT_NAME=… -e APP_ID=… -e APP_SECRET=… -e OPENAI_KEY=…
     * -e APP_ENCRYPT_KEY=… -e APP_VERIFICATION_TOKEN=… -p 9000:9000 <image>`, plus what points
     * the bot at the fakes (LARK_DOMAIN, OPENAI_BASE_URL). With host networking, as this machine
     * needs (bridge networking leaves firewall chains behind), `-p` is accepted but moot: the
     * gateway listens on the host's port 9000 itself, so where 9000 is taken HTTP_PORT moves it.
     */
    async function runSeedLine() {
      const port = (await portFree(SEED_PORT)) ? SEED_PORT : await freePort();
      return startContainer(port, [
        ...["-e", "BOT_NAME=larkgate-container"],
        ...["-e", `APP_ID=${lark.app.appId}`],
        ...["-e", `APP_SECRET=${lark.app.appSecret}`],
        ...["-e", `OPENAI_KEY=${llm.apiKey}`],
        ...["-e", `APP_ENCRYPT_KEY=${ENCRYPT_KEY}`],
        ...["-e", `APP_VERIFICATION_TOKEN=${TOKEN}`],
        ...["-p", `${SEED_PORT}:9000`],
        ...["-e", `LARK_DOMAIN=${lark.url}`],
        ...["-e", `OPENAI_BASE_URL=${llm.url}`],
        ...(port === SEED_PORT ? [] : ["-e", `HTTP_PORT=${port}`]),
      ]);
    }

    /** `podman run -d` on the host's network, until the gateway answers /ping on `port`. */
    async function startContainer(port: number, args: string[]) {
      const name = `larkgate-test-${randomBytes(4).toString("hex")}`;
      const started = performance.now();
      podman.track(name);
      await podman.run(["run", "-d", "--name", name, "--network", "host", ...args, IMAGE]);
      const url = `http://127.0.0.1:${port}`;
      const pong = await waitForOk(`${url}/ping`, MINUTE).catch(async (error: Error) => {
        throw new Error(`${error.message}\ncontainer log:\n${await logsOf(name)}`);
      });
      return { name, url, pong, startMs: performance.now() - started };
    }

    async function logsOf(name: string): Promise<string> {
      const { stdout, stderr } = await podman.run(["logs", name], { check: false });
      return `${stdout}${stderr}`;
    }

    beforeAll(async () => {
      podman = createPodman();
      const pull = await provideBaseImage(podman, base);
      const started = performance.now();
      await podman.run(
        ["build", `--pull=${pull}`, "--isolation", "chroot", "--format", "docker"].concat([
          "--tag",
          IMAGE,
          ROOT,
        ]),
        { timeoutMs: 20 * MINUTE, nice: true },
      );
      figures.build = `${Math.round((performance.now() - started) / 1000)} s`;
      const { stdout } = await podman.run(["image", "inspect", "--format", "{{.Size}}", IMAGE]);
      figures.size = `${Math.round(Number(stdout.trim()) / 1e6)} MB`;
      lark = await createFakeLark();
      llm = await createFakeLlm();
    }, 25 * MINUTE);

    afterAll(async () => {
      await podman?.close();
      await lark?.close();
      await llm?.close();
      // The figures docs/deploy.md quotes, measured again on every run.
      if (Object.keys(figures).length > 0) console.info("larkgate image:", figures);
    }, 5 * MINUTE);

    it(
      "starts from the seed's docker run line: /ping, healthy, not root, the database in /data",
      async () => {
        gateway = await runSeedLine();
        figures.coldStart = `${Math.round(gateway.startMs)} ms to /ping`;
        expect(gateway.pong).toBe("pong");
        // The image's HEALTHCHECK, run as Docker would run it.
        const health = await podman.run(["healthcheck", "run", gateway.name], { check: false });
        expect(health.code, health.stderr).toBe(0);
        const id = await podman.run(["exec", gateway.name, "id", "-u"]);
        expect(id.stdout.trim()).toBe("1000");
        const data = await podman.run(["exec", gateway.name, "ls", "/data"]);
        expect(data.stdout.split("\n")).toContain("larkgate.db");
        // `docker exec <container> larkgate check` and the like, as docs/deploy.md says.
        const cli = await podman.run(["exec", gateway.name, "larkgate", "--version"]);
        expect(cli.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
        const log = await logsOf(gateway.name);
        expect(log).not.toContain(lark.app.appSecret);
        expect(log).not.toContain(llm.apiKey);
      },
      2 * MINUTE,
    );

    it("answers Lark's URL verification, encrypted with the Encrypt Key", async () => {
      const ack = await lark.push(
        `${gateway.url}/webhook/event`,
        challengeBody(TOKEN, "container-challenge"),
        { encryptKey: ENCRYPT_KEY, sign: false },
      );
      expect(ack.status).toBe(200);
      expect(JSON.parse(ack.body)).toEqual({ challenge: "container-challenge" });
    });

    it(
      "answers a p2p message with the model's text on Lark",
      async () => {
        llm.script({ text: "Hello from the model inside the container." });
        const event = message("hello, container");
        const ack = await lark.push(`${gateway.url}/webhook/event`, event, {
          encryptKey: ENCRYPT_KEY,
        });
        expect(ack.status).toBe(200);
        const [answer] = await lark.waitForMessages(
          1,
          (m) => m.replyTo === event.event.message.message_id && isFinal(m),
          30_000,
        );
        expect(messageText(answer!)).toContain("Hello from the model inside the container.");
      },
      MINUTE,
    );

    it(
      "reads a larkgate.yaml mounted at /app/larkgate.yaml",
      async () => {
        const dir = tempDir("container-config");
        const file = join(dir, "larkgate.yaml");
        // Secrets as references to the environment, the way larkgate.example.yaml has them.
        writeFileSync(
          file,
          `apps:
  assistant:
    backend: openai
    baseUrl: ${llm.url}
    apiKey: \${ASSISTANT_KEY}
    model: container-model
bots:
  support:
    appId: ${lark.app.appId}
    appSecret: \${SUPPORT_SECRET}
    domain: ${lark.url}
    verificationToken: ${TOKEN}
    app: assistant
`,
        );
        // The gateway runs as uid 1000; the file is the operator's, readable by all.
        chmodSync(file, 0o644);
        const port = await freePort();
        const { name, url } = await startContainer(port, [
          ...["-e", `HTTP_PORT=${port}`],
          ...["-e", `SUPPORT_SECRET=${lark.app.appSecret}`],
          ...["-e", `ASSISTANT_KEY=${llm.apiKey}`],
          ...["-v", `${file}:/app/larkgate.yaml:ro`],
        ]);
        const ack = await lark.push(`${url}/webhook/support/event`, challengeBody(TOKEN, "yaml"));
        expect(ack.status, await logsOf(name)).toBe(200);
        expect(JSON.parse(ack.body)).toEqual({ challenge: "yaml" });
        // The file's bot answers with the file's app.
        llm.script({ text: "Answered by the bot of larkgate.yaml." });
        const event = message("who answers?");
        await lark.push(`${url}/webhook/support/event`, event);
        const [answer] = await lark.waitForMessages(
          1,
          (m) => m.replyTo === event.event.message.message_id && isFinal(m),
          30_000,
        );
        expect(messageText(answer!)).toContain("Answered by the bot of larkgate.yaml.");
        expect(llm.requests.at(-1)?.body.model).toBe("container-model");
        await podman.run(["rm", "--force", "--volumes", "--time", "0", name]);
      },
      2 * MINUTE,
    );

    it(
      "finishes the answer in flight on podman stop (SIGTERM), then exits 0",
      async () => {
        // About 3 s of streaming: the stop arrives while the answer is being written.
        const words = Array.from({ length: 30 }, (_, i) => `word${i} `);
        llm.script({ chunks: words, chunkDelayMs: 100 });
        const asked = llm.requests.length;
        const event = message("a long answer, please");
        await lark.push(`${gateway.url}/webhook/event`, event, { encryptKey: ENCRYPT_KEY });
        await lark.waitFor(() => llm.requests.length > asked, 30_000);

        const stop = await podman.run(["stop", "--time", "30", gateway.name]);
        expect(stop.code).toBe(0);
        const [answer] = await lark.waitForMessages(
          1,
          (m) => m.replyTo === event.event.message.message_id && isFinal(m),
          5_000,
        );
        expect(messageText(answer!)).toContain("word0 word1");
        expect(messageText(answer!)).toContain("word29");

        const exit = await podman.run(["inspect", "--format", "{{.State.ExitCode}}", gateway.name]);
        expect(exit.stdout.trim()).toBe("0");
        const log = await logsOf(gateway.name);
        expect(log).toMatch(/"signal":"SIGTERM","msg":"shutting down"/);
        expect(log).toMatch(/"signal":"SIGTERM","ms":\d+,"msg":"stopped"/);
      },
      2 * MINUTE,
    );

    /** A message from Alice to the bot in a p2p chat of its own. */
    function message(text: string) {
      return messageEvent({
        appId: lark.app.appId,
        token: TOKEN,
        text,
        chatId: `oc_container_${randomBytes(4).toString("hex")}`,
        chatType: "p2p",
        senderOpenId: "ou_alice",
      });
    }
  },
);
