import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createFakeDify, type FakeDify } from "../kit/fake-dify.js";
import { createFakeFastGpt, type FakeFastGpt } from "../kit/fake-fastgpt.js";
import { createFakeLark, type FakeApp, type FakeLark, type FakeMessage } from "../kit/fake-lark.js";
import { messageEvent } from "../kit/lark-events.js";
import { TINY_PNG } from "../kit/pictures.js";
import { tempDir } from "../temp-dir.js";
import { isFinal } from "./card-helpers.js";
import { type GatewayProcess, startGatewayProcess, tempDatabaseUrl } from "./gateway-process.js";

/** A free port on loopback, so the gateway's public URL is known before it starts. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * FastGPT and Dify take pictures as URLs they fetch: larkgate hands them signed, expiring links
 * to itself (`server.publicUrl`), and serves each picture from Lark when the link is fetched.
 */
describe("pictures for FastGPT and Dify apps, as signed links (e2e)", () => {
  let lark: FakeLark;
  let fastgpt: FakeFastGpt;
  let dify: FakeDify;
  let gateway: GatewayProcess;
  let kb: FakeApp;
  let hr: FakeApp;
  let publicUrl: string;
  let chat = 0;

  const send = async (
    bot: "kb" | "hr",
    app: FakeApp,
    messageType: "image" | "post",
    content: object,
    files: Array<[string, Buffer]>,
  ) => {
    const event = messageEvent({
      appId: app.appId,
      chatId: `oc_links_${++chat}`,
      chatType: "p2p",
      senderOpenId: "ou_alice",
      messageType,
      content,
    });
    const messageId = event.event.message.message_id;
    for (const [key, bytes] of files) lark.addResource(messageId, key, bytes, "image/png");
    const ack = await lark.push(`${gateway.url}/webhook/${bot}/event`, event);
    expect(ack.status).toBe(200);
    await lark.waitForMessages(1, (m: FakeMessage) => m.replyTo === messageId && isFinal(m));
    return messageId;
  };

  beforeAll(async () => {
    lark = await createFakeLark();
    kb = lark.app;
    hr = lark.addApp({ botName: "HR bot" });
    [fastgpt, dify] = await Promise.all([createFakeFastGpt(), createFakeDify()]);
    const port = await freePort();
    publicUrl = `http://127.0.0.1:${port}`;
    const configPath = join(tempDir("links"), "larkgate.yaml");
    writeFileSync(
      configPath,
      `
server:
  publicUrl: ${publicUrl}/
apps:
  kb: { backend: fastgpt, baseUrl: "${fastgpt.url}", apiKey: "\${FASTGPT_KEY}", vision: true }
  hr: { backend: dify, baseUrl: "${dify.url}", apiKey: "\${DIFY_KEY}", vision: true }
bots:
  kb: { appId: ${kb.appId}, appSecret: "\${KB_SECRET}", domain: "${lark.url}", app: kb }
  hr: { appId: ${hr.appId}, appSecret: "\${HR_SECRET}", domain: "${lark.url}", app: hr }
`,
    );
    gateway = await startGatewayProcess({
      CONFIG_FILE: configPath,
      HTTP_PORT: String(port),
      DATABASE_URL: tempDatabaseUrl(),
      FASTGPT_KEY: fastgpt.apiKey,
      DIFY_KEY: dify.apiKey,
      KB_SECRET: kb.appSecret,
      HR_SECRET: hr.appSecret,
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await Promise.all([fastgpt?.close(), dify?.close(), lark?.close()]);
  });

  beforeEach(() => {
    lark.reset();
    fastgpt.reset();
    dify.reset();
  });

  it("gives FastGPT an image_url link that serves the picture, and refuses a forged one", async () => {
    await send("kb", kb, "image", { image_key: "img_v3_kb" }, [["img_v3_kb", TINY_PNG]]);
    const body = fastgpt.requests[0]!.body as {
      messages: Array<{ content: Array<{ type: string; image_url?: { url: string } }> }>;
    };
    const content = body.messages[0]!.content;
    expect(content.map((part) => part.type)).toEqual(["image_url"]);
    const link = content[0]!.image_url!.url;
    expect(link.startsWith(`${publicUrl}/files/kb/`)).toBe(true);

    const picture = await fetch(link);
    expect(picture.status).toBe(200);
    expect(picture.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await picture.arrayBuffer())).toEqual(TINY_PNG);

    const forged = new URL(link);
    forged.pathname = forged.pathname.replace("img_v3_kb", "img_v3_other");
    expect((await fetch(forged)).status).toBe(403);
    const unsigned = new URL(link);
    unsigned.searchParams.delete("signature");
    expect((await fetch(unsigned)).status).toBe(403);
    // The link names its bot: another bot's secret does not make it valid.
    expect((await fetch(link.replace("/files/kb/", "/files/hr/"))).status).toBe(403);
    await gateway.waitForLog((l) => l.msg === "picture link refused");
  });

  it("gives Dify the question with its pictures as remote_url files", async () => {
    const post = {
      content: [
        [{ tag: "text", text: "Is this the new logo?" }],
        [{ tag: "img", image_key: "img_v3_hr" }],
      ],
    };
    await send("hr", hr, "post", post, [["img_v3_hr", TINY_PNG]]);
    const body = dify.requests[0]!.body as {
      query: string;
      files: Array<{ type: string; transfer_method: string; url: string }>;
    };
    expect(body.query).toBe("Is this the new logo?\n[image]");
    expect(body.files).toHaveLength(1);
    expect(body.files[0]).toMatchObject({ type: "image", transfer_method: "remote_url" });
    const picture = await fetch(body.files[0]!.url);
    expect(Buffer.from(await picture.arrayBuffer())).toEqual(TINY_PNG);
  });
});
