import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { pdfWith } from "../kit/documents.js";
import type { FakeApp } from "../kit/fake-lark.js";
import { TINY_PNG } from "../kit/pictures.js";
import { useE2eKit, writeConfig } from "./e2e-kit.js";

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
  let kb: FakeApp;
  let hr: FakeApp;
  let publicUrl: string;
  const kit = useE2eKit({
    fakes: ["fastgpt", "dify"],
    chatPrefix: "links",
    async env({ lark, fastgpt, dify }) {
      kb = lark.app;
      hr = lark.addApp({ botName: "HR bot" });
      const port = await freePort();
      publicUrl = `http://127.0.0.1:${port}`;
      const config = writeConfig(`
server:
  publicUrl: ${publicUrl}/
apps:
  kb: { backend: fastgpt, baseUrl: "${fastgpt.url}", apiKey: "\${FASTGPT_KEY}", vision: true }
  hr: { backend: dify, baseUrl: "${dify.url}", apiKey: "\${DIFY_KEY}", vision: true }
bots:
  kb: { appId: ${kb.appId}, appSecret: "\${KB_SECRET}", domain: "${lark.url}", app: kb }
  hr: { appId: ${hr.appId}, appSecret: "\${HR_SECRET}", domain: "${lark.url}", app: hr }
`);
      return {
        CONFIG_FILE: config,
        HTTP_PORT: String(port),
        FASTGPT_KEY: fastgpt.apiKey,
        DIFY_KEY: dify.apiKey,
        KB_SECRET: kb.appSecret,
        HR_SECRET: hr.appSecret,
      };
    },
  });

  const send = async (
    bot: "kb" | "hr",
    app: FakeApp,
    messageType: "image" | "post",
    content: object,
    files: Array<[string, Buffer]>,
  ) => {
    const event = kit.message("", { appId: app.appId, messageType, content });
    const messageId = event.event.message.message_id;
    for (const [key, bytes] of files) kit.lark.addResource(messageId, key, bytes, "image/png");
    const ack = await kit.push(event, `${bot}/event`);
    expect(ack.status).toBe(200);
    await kit.answersTo(messageId);
    return messageId;
  };

  it("gives FastGPT an image_url link that serves the picture, and refuses a forged one", async () => {
    await send("kb", kb, "image", { image_key: "img_v3_kb" }, [["img_v3_kb", TINY_PNG]]);
    const body = kit.fastgpt.requests[0]!.body as {
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
    await kit.gateway.waitForLog((l) => l.msg === "picture link refused");
  });

  it("gives Dify the question with its pictures as remote_url files", async () => {
    const post = {
      content: [
        [{ tag: "text", text: "Is this the new logo?" }],
        [{ tag: "img", image_key: "img_v3_hr" }],
      ],
    };
    await send("hr", hr, "post", post, [["img_v3_hr", TINY_PNG]]);
    const body = kit.dify.requests[0]!.body as {
      query: string;
      files: Array<{ type: string; transfer_method: string; url: string }>;
    };
    expect(body.query).toBe("Is this the new logo?\n[image]");
    expect(body.files).toHaveLength(1);
    expect(body.files[0]).toMatchObject({ type: "image", transfer_method: "remote_url" });
    const picture = await fetch(body.files[0]!.url);
    expect(Buffer.from(await picture.arrayBuffer())).toEqual(TINY_PNG);
  });

  /** A file sent alone in p2p, then a question: the question gets the file. */
  const fileThenQuestion = async (bot: "kb" | "hr", app: FakeApp, name: string, bytes: Buffer) => {
    const file = kit.message("", {
      appId: app.appId,
      messageType: "file",
      content: { file_key: "file_v3_doc", file_name: name },
    });
    const fileId = file.event.message.message_id;
    kit.lark.addResource(fileId, "file_v3_doc", bytes, "application/octet-stream");
    await kit.push(file, `${bot}/event`);
    await kit.answersTo(fileId);
    const question = kit.message("summarise it", {
      appId: app.appId,
      chatId: file.event.message.chat_id,
    });
    await kit.push(question, `${bot}/event`);
    await kit.answersTo(question.event.message.message_id);
  };

  it("gives FastGPT a file as a file_url part whose link serves it, and refuses forgeries", async () => {
    const pdf = pdfWith([["Revenue grew 12%"]]);
    await fileThenQuestion("kb", kb, "report.pdf", pdf);
    const body = kit.fastgpt.requests.at(-1)!.body as {
      messages: Array<{
        content: Array<{ type: string; text?: string; name?: string; url?: string }>;
      }>;
    };
    const content = body.messages[0]!.content;
    expect(content.map((part) => part.type)).toEqual(["text", "file_url"]);
    expect(content[0]!.text).toBe("summarise it");
    expect(content[1]!.name).toBe("report.pdf");
    const link = content[1]!.url!;
    expect(new URL(link).pathname).toMatch(/^\/files\/kb\/om_[^/]+\/file_v3_doc\/report\.pdf$/);

    const served = await fetch(link);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("application/pdf");
    expect(Buffer.from(await served.arrayBuffer())).toEqual(pdf);

    const renamed = new URL(link);
    renamed.pathname = renamed.pathname.replace("report.pdf", "other.pdf");
    expect((await fetch(renamed)).status).toBe(403);
    const late = new URL(link);
    late.searchParams.set("expires", String(Number(late.searchParams.get("expires")) + 3600));
    expect((await fetch(late)).status).toBe(403);
    await kit.gateway.waitForLog((l) => l.msg === "file link refused");
  });

  it("gives Dify a file as a remote_url document", async () => {
    await fileThenQuestion("hr", hr, "policy.docx", Buffer.from("PK not really"));
    const body = kit.dify.requests.at(-1)!.body as {
      query: string;
      files: Array<{ type: string; transfer_method: string; url: string }>;
    };
    expect(body.query).toBe("summarise it");
    expect(body.files).toEqual([
      {
        type: "document",
        transfer_method: "remote_url",
        url: expect.stringContaining("/policy.docx?"),
      },
    ]);
    expect((await fetch(body.files[0]!.url)).status).toBe(200);
  });
});
