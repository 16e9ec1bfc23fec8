import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createFakeLark, type FakeLark, type FakeMessage, messageText } from "../kit/fake-lark.js";
import { createFakeLlm, type FakeLlm } from "../kit/fake-llm.js";
import { cardActionEvent, messageEvent, messageRecalledEvent } from "../kit/lark-events.js";
import { TINY_PNG } from "../kit/pictures.js";
import { tempDir } from "../temp-dir.js";
import { buttonValue, isFinal } from "./card-helpers.js";
import { type GatewayProcess, startGatewayProcess, tempDatabaseUrl } from "./gateway-process.js";

const ENCRYPT_KEY = "images-encrypt-key";
const JPEG = Buffer.from("ffd8ffe000104a46494600010100000100010000ffd9", "hex");
const TEXT_ONLY_CHAT = "oc_text_only";

type Part = { type: string; text?: string; image_url?: { url: string } };
type Sent = { role: string; content: string | Part[] };

/**
 * Pictures users send: downloaded from Lark and given inline to a model that reads images, or
 * answered with a short notice where the app's model reads text only.
 */
describe("images in questions (e2e)", () => {
  let lark: FakeLark;
  let llm: FakeLlm;
  let gateway: GatewayProcess;
  let chat = 0;

  const push = (envelope: object, path = "event") =>
    lark.push(`${gateway.url}/webhook/pics/${path}`, envelope, { encryptKey: ENCRYPT_KEY });
  /** A message from Alice; `files` are attached before the push, as Lark has them at once. */
  const send = async (
    messageType: "image" | "post" | "text" | "sticker" | "file",
    content: object,
    options: {
      chatId?: string;
      chatType?: "p2p" | "group";
      /** The message this one replies to (a quote, outside topics). */
      parentId?: string;
      files?: Array<[key: string, bytes: Buffer, mime: string]>;
    } = {},
  ) => {
    const event = messageEvent({
      appId: lark.app.appId,
      chatId: options.chatId ?? `oc_images_${++chat}`,
      chatType: options.chatType ?? "p2p",
      senderOpenId: "ou_alice",
      messageType,
      content,
      ...(options.parentId ? { parentId: options.parentId, rootId: options.parentId } : {}),
    });
    const { message_id: messageId, chat_id: chatId } = event.event.message;
    for (const [key, bytes, mime] of options.files ?? []) {
      lark.addResource(messageId, key, bytes, mime);
    }
    expect((await push(event)).status).toBe(200);
    return { messageId, chatId };
  };
  const sendImage = (imageKey: string, bytes: Buffer, chatId?: string) =>
    send("image", { image_key: imageKey }, { chatId, files: [[imageKey, bytes, "image/png"]] });
  const answerTo = async (messageId: string, count = 1) =>
    lark.waitForMessages(count, (m: FakeMessage) => m.replyTo === messageId && isFinal(m));
  /** The new user message of the model's n-th request. */
  const lastUserMessage = (call: number) =>
    (llm.requests[call]!.body.messages as Sent[]).filter((m) => m.role === "user").at(-1)!;
  const dataUrl = (mime: string, bytes: Buffer) =>
    `data:${mime};base64,${bytes.toString("base64")}`;

  beforeAll(async () => {
    lark = await createFakeLark();
    llm = await createFakeLlm();
    const configPath = join(tempDir("images"), "larkgate.yaml");
    writeFileSync(
      configPath,
      `
apps:
  eyes: { backend: openai, baseUrl: "${llm.url}", apiKey: "\${LLM_KEY}", model: vision-model, vision: true }
  words: { backend: openai, baseUrl: "${llm.url}", apiKey: "\${LLM_KEY}", model: text-model }
bots:
  pics:
    appId: ${lark.app.appId}
    appSecret: \${PICS_SECRET}
    encryptKey: ${ENCRYPT_KEY}
    domain: ${lark.url}
    app: eyes
    groupTrigger: all
    chats:
      ${TEXT_ONLY_CHAT}: { app: words }
`,
    );
    gateway = await startGatewayProcess({
      CONFIG_FILE: configPath,
      DATABASE_URL: tempDatabaseUrl(),
      LLM_KEY: llm.apiKey,
      PICS_SECRET: lark.app.appSecret,
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await llm?.close();
    await lark?.close();
  });

  beforeEach(() => {
    lark.reset();
    llm.reset();
  });

  it("gives a picture to a model that reads images, and keeps '[image]' in the history", async () => {
    llm.script({ text: "A single pixel." });
    const picture = await sendImage("img_v3_pixel", TINY_PNG);
    const [answer] = await answerTo(picture.messageId);
    expect(messageText(answer!)).toContain("A single pixel.");
    expect(lastUserMessage(0).content).toEqual([
      { type: "image_url", image_url: { url: dataUrl("image/png", TINY_PNG) } },
    ]);

    llm.script({ text: "Grey, mostly." });
    const followUp = await send("text", { text: "what colour was it?" }, picture);
    await answerTo(followUp.messageId);
    const history = (llm.requests[1]!.body.messages as Sent[]).map((m) => m.content);
    expect(history).toEqual(["[image]", "A single pixel.", "what colour was it?"]);
  });

  it("sends a post's text with its images in order", async () => {
    const { messageId } = await send(
      "post",
      {
        title: "Two screenshots",
        content: [
          [{ tag: "text", text: "Which error is worse?" }],
          [{ tag: "img", image_key: "img_v3_first" }],
          [{ tag: "img", image_key: "img_v3_second" }],
        ],
      },
      {
        files: [
          ["img_v3_first", TINY_PNG, "image/png"],
          ["img_v3_second", JPEG, "image/jpeg"],
        ],
      },
    );
    await answerTo(messageId);
    expect(lastUserMessage(0).content).toEqual([
      { type: "text", text: "Two screenshots\nWhich error is worse?\n[image]\n[image]" },
      { type: "image_url", image_url: { url: dataUrl("image/png", TINY_PNG) } },
      { type: "image_url", image_url: { url: dataUrl("image/jpeg", JPEG) } },
    ]);
  });

  it("answers a reply to a picture with the picture, and again on Regenerate", async () => {
    llm.script({ text: "A pixel." });
    const picture = await sendImage("img_v3_quoted", TINY_PNG);
    await answerTo(picture.messageId);
    llm.script({ text: "The corner is grey too." });
    const question = await send(
      "text",
      { text: "and the corner?" },
      { chatId: picture.chatId, parentId: picture.messageId },
    );
    const [answer] = await answerTo(question.messageId);
    const withPicture = [
      { type: "text", text: "> [image]\n\nand the corner?" },
      { type: "image_url", image_url: { url: dataUrl("image/png", TINY_PNG) } },
    ];
    expect(lastUserMessage(1).content).toEqual(withPicture);

    llm.script({ text: "Still grey." });
    await push(
      cardActionEvent({
        appId: lark.app.appId,
        operatorOpenId: "ou_alice",
        value: buttonValue(answer!.card!.json, "Regenerate")!,
        messageId: answer!.messageId,
        chatId: picture.chatId,
      }),
      "card",
    );
    await answerTo(question.messageId, 2);
    expect(lastUserMessage(2).content).toEqual(withPicture);
  });

  it("does not answer a picture recalled while it was being downloaded", async () => {
    const event = messageEvent({
      appId: lark.app.appId,
      chatId: `oc_images_${++chat}`,
      chatType: "p2p",
      senderOpenId: "ou_alice",
      messageType: "image",
      content: { image_key: "img_v3_recalled" },
    });
    const { message_id: messageId, chat_id: chatId } = event.event.message;
    // Lark serves this picture only once the test lets it: the recall lands mid-download.
    let serve!: () => void;
    const served = new Promise<void>((resolve) => {
      serve = resolve;
    });
    let downloading!: () => void;
    const started = new Promise<void>((resolve) => {
      downloading = resolve;
    });
    lark.addRoute(
      "GET",
      `/open-apis/im/v1/messages/${messageId}/resources/img_v3_recalled`,
      async () => {
        downloading();
        await served;
        return { status: 200, headers: { "content-type": "image/png" }, body: TINY_PNG };
      },
    );
    expect((await push(event)).status).toBe(200);
    await started;
    const recall = messageRecalledEvent({ appId: lark.app.appId, messageId, chatId });
    expect((await push(recall)).status).toBe(200);
    serve();
    await gateway.waitForLog(
      (l) =>
        l.msg === "ignored: the message was recalled before its turn" && l.messageId === messageId,
    );
    expect(llm.requests).toHaveLength(0);
    expect(lark.messages.filter((m) => m.replyTo === messageId)).toEqual([]);
  });

  it("tells the user when the chat's model reads text only, without calling it", async () => {
    const picture = await sendImage("img_v3_textonly", TINY_PNG, TEXT_ONLY_CHAT);
    const [notice] = await answerTo(picture.messageId);
    expect(messageText(notice!)).toMatch(/reads text only/);
    expect(llm.requests).toHaveLength(0);
    expect(lark.callsTo("/open-apis/im/v1/messages/:message_id/resources/:file_key")).toEqual([]);
  });

  it("answers a post's text where the model reads text only, without downloading", async () => {
    llm.script({ text: "Restart the pod." });
    const { messageId } = await send(
      "post",
      {
        content: [
          [{ tag: "text", text: "How do I fix this?" }],
          [{ tag: "img", image_key: "img_v3_ignored" }],
        ],
      },
      { chatId: TEXT_ONLY_CHAT, files: [["img_v3_ignored", TINY_PNG, "image/png"]] },
    );
    await answerTo(messageId);
    expect(lastUserMessage(0).content).toBe("How do I fix this?\n[image]");
    expect(lark.callsTo("/open-apis/im/v1/messages/:message_id/resources/:file_key")).toEqual([]);
  });

  it("says so when Lark cannot serve the picture (no im:resource scope)", async () => {
    lark.revokeScope(lark.app.appId, "im:resource");
    const picture = await sendImage("img_v3_denied", TINY_PNG);
    const [notice] = await answerTo(picture.messageId);
    expect(messageText(notice!)).toMatch(/could not open that image/);
    expect(llm.requests).toHaveLength(0);
    // The log says why, with Lark's code, so the missing scope can be found.
    await gateway.waitForLog(
      (l) =>
        l.msg === "image not readable; answering without it" &&
        /code 99991672 .*im:resource/.test(String((l.err as { message?: string })?.message)),
    );
  });

  it("does not take in a picture larger than Lark allows for images", async () => {
    const huge = Buffer.alloc(11 * 1024 * 1024, 1);
    const picture = await sendImage("img_v3_huge", huge);
    const [notice] = await answerTo(picture.messageId);
    expect(messageText(notice!)).toMatch(/could not open that image/);
    expect(llm.requests).toHaveLength(0);
  });

  it("sends a question's pictures up to 20 MB together, and answers with those", async () => {
    llm.script({ text: "Two of three." });
    const eightMb = (fill: number) => Buffer.alloc(8 * 1024 * 1024, fill);
    const { messageId } = await send(
      "post",
      {
        content: [
          [{ tag: "text", text: "Compare these" }],
          [{ tag: "img", image_key: "img_v3_one" }],
          [{ tag: "img", image_key: "img_v3_two" }],
          [{ tag: "img", image_key: "img_v3_three" }],
        ],
      },
      {
        files: [
          ["img_v3_one", eightMb(1), "image/png"],
          ["img_v3_two", eightMb(2), "image/png"],
          ["img_v3_three", eightMb(3), "image/png"],
        ],
      },
    );
    await answerTo(messageId);
    const parts = lastUserMessage(0).content as Part[];
    expect(parts.map((p) => p.type)).toEqual(["text", "image_url", "image_url"]);
    expect(parts[2]!.image_url!.url).toBe(dataUrl("image/png", eightMb(2)));
  });

  it("tells a person in p2p that it cannot read a file, and asks for text", async () => {
    const file = await send("file", { file_key: "file_v3_report", file_name: "q3.pdf" });
    const [notice] = await answerTo(file.messageId);
    expect(messageText(notice!)).toMatch(/cannot read this kind of message.*as text/);
    expect(llm.requests).toHaveLength(0);
  });

  it("stays quiet in a group where it reads every message, for what it cannot read", async () => {
    const inGroup = (type: "sticker" | "image" | "text", content: object) =>
      send(type, content, { chatId: TEXT_ONLY_CHAT, chatType: "group" });
    const sticker = await inGroup("sticker", { file_key: "file_v2_sticker" });
    const picture = await inGroup("image", { image_key: "img_v3_group" });
    llm.script({ text: "Noted." });
    // Same sender, same group: one conversation, handled in order, so once this is answered
    // the two before it have been handled too.
    const question = await inGroup("text", { text: "anything new?" });
    await answerTo(question.messageId);
    const repliedTo = lark.messages.map((m) => m.replyTo);
    expect(repliedTo).not.toContain(sticker.messageId);
    expect(repliedTo).not.toContain(picture.messageId);
  });

  it("regenerates an answer about a picture with the picture again", async () => {
    llm.script({ text: "first look" });
    const picture = await sendImage("img_v3_again", TINY_PNG);
    const [first] = await answerTo(picture.messageId);
    llm.script({ text: "second look" });
    const ack = await push(
      cardActionEvent({
        appId: lark.app.appId,
        operatorOpenId: "ou_alice",
        value: buttonValue(first!.card!.json, "Regenerate")!,
        messageId: first!.messageId,
        chatId: picture.chatId,
      }),
      "card",
    );
    expect(ack.status).toBe(200);
    const answers = await answerTo(picture.messageId, 2);
    expect(messageText(answers[1]!)).toContain("second look");
    expect(lastUserMessage(1).content).toEqual([
      { type: "image_url", image_url: { url: dataUrl("image/png", TINY_PNG) } },
    ]);
  });
});
