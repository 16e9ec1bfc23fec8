import { describe, expect, it } from "vitest";
import { messageText } from "../kit/fake-lark.js";
import { TINY_PNG } from "../kit/pictures.js";
import { buttonValue } from "./card-helpers.js";
import { useE2eKit, writeConfig } from "./e2e-kit.js";

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
  const kit = useE2eKit({
    encryptKey: ENCRYPT_KEY,
    chatPrefix: "images",
    env: ({ lark, llm }) => ({
      CONFIG_FILE: writeConfig(`
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
`),
      LLM_KEY: llm.apiKey,
      PICS_SECRET: lark.app.appSecret,
    }),
  });

  const push = (envelope: object, path = "event") => kit.push(envelope, `pics/${path}`);
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
    const event = kit.message("", {
      chatId: options.chatId,
      chatType: options.chatType,
      messageType,
      content,
      ...(options.parentId ? { parentId: options.parentId, rootId: options.parentId } : {}),
    });
    const { message_id: messageId, chat_id: chatId } = event.event.message;
    for (const [key, bytes, mime] of options.files ?? []) {
      kit.lark.addResource(messageId, key, bytes, mime);
    }
    expect((await push(event)).status).toBe(200);
    return { messageId, chatId };
  };
  const sendImage = (imageKey: string, bytes: Buffer, chatId?: string) =>
    send("image", { image_key: imageKey }, { chatId, files: [[imageKey, bytes, "image/png"]] });
  /** The new user message of the model's n-th request. */
  const lastUserMessage = (call: number) =>
    (kit.llm.requests[call]!.body.messages as Sent[]).filter((m) => m.role === "user").at(-1)!;
  const dataUrl = (mime: string, bytes: Buffer) =>
    `data:${mime};base64,${bytes.toString("base64")}`;

  it("gives a picture to a model that reads images, and keeps '[image]' in the history", async () => {
    kit.llm.script({ text: "A single pixel." });
    const picture = await sendImage("img_v3_pixel", TINY_PNG);
    const [answer] = await kit.answersTo(picture.messageId);
    expect(messageText(answer!)).toContain("A single pixel.");
    expect(lastUserMessage(0).content).toEqual([
      { type: "image_url", image_url: { url: dataUrl("image/png", TINY_PNG) } },
    ]);

    kit.llm.script({ text: "Grey, mostly." });
    const followUp = await send("text", { text: "what colour was it?" }, picture);
    await kit.answersTo(followUp.messageId);
    const history = (kit.llm.requests[1]!.body.messages as Sent[]).map((m) => m.content);
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
    await kit.answersTo(messageId);
    expect(lastUserMessage(0).content).toEqual([
      { type: "text", text: "Two screenshots\nWhich error is worse?\n[image]\n[image]" },
      { type: "image_url", image_url: { url: dataUrl("image/png", TINY_PNG) } },
      { type: "image_url", image_url: { url: dataUrl("image/jpeg", JPEG) } },
    ]);
  });

  it("answers a reply to a picture with the picture, and again on Regenerate", async () => {
    kit.llm.script({ text: "A pixel." });
    const picture = await sendImage("img_v3_quoted", TINY_PNG);
    await kit.answersTo(picture.messageId);
    kit.llm.script({ text: "The corner is grey too." });
    const question = await send(
      "text",
      { text: "and the corner?" },
      { chatId: picture.chatId, parentId: picture.messageId },
    );
    const [answer] = await kit.answersTo(question.messageId);
    const withPicture = [
      { type: "text", text: "> [image]\n\nand the corner?" },
      { type: "image_url", image_url: { url: dataUrl("image/png", TINY_PNG) } },
    ];
    expect(lastUserMessage(1).content).toEqual(withPicture);

    kit.llm.script({ text: "Still grey." });
    await push(
      kit.cardAction({
        value: buttonValue(answer!.card!.json, "Regenerate")!,
        messageId: answer!.messageId,
        chatId: picture.chatId,
      }),
      "card",
    );
    await kit.answersTo(question.messageId, { count: 2 });
    expect(lastUserMessage(2).content).toEqual(withPicture);
  });

  it("does not answer a picture recalled while it was being downloaded", async () => {
    const event = kit.message("", {
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
    kit.lark.addRoute(
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
    expect((await push(kit.recall(messageId, chatId))).status).toBe(200);
    serve();
    await kit.gateway.waitForLog(
      (l) =>
        l.msg === "ignored: the message was recalled before its turn" && l.messageId === messageId,
    );
    expect(kit.llm.requests).toHaveLength(0);
    expect(kit.lark.messages.filter((m) => m.replyTo === messageId)).toEqual([]);
  });

  it("tells the user when the chat's model reads text only, without calling it", async () => {
    const picture = await sendImage("img_v3_textonly", TINY_PNG, TEXT_ONLY_CHAT);
    const [notice] = await kit.answersTo(picture.messageId);
    expect(messageText(notice!)).toMatch(/reads text only/);
    expect(kit.llm.requests).toHaveLength(0);
    expect(kit.lark.callsTo("/open-apis/im/v1/messages/:message_id/resources/:file_key")).toEqual(
      [],
    );
  });

  it("answers a post's text where the model reads text only, without downloading", async () => {
    kit.llm.script({ text: "Restart the pod." });
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
    await kit.answersTo(messageId);
    expect(lastUserMessage(0).content).toBe("How do I fix this?\n[image]");
    expect(kit.lark.callsTo("/open-apis/im/v1/messages/:message_id/resources/:file_key")).toEqual(
      [],
    );
  });

  it("says so when Lark cannot serve the picture (no im:resource scope)", async () => {
    kit.lark.revokeScope(kit.lark.app.appId, "im:resource");
    const picture = await sendImage("img_v3_denied", TINY_PNG);
    const [notice] = await kit.answersTo(picture.messageId);
    expect(messageText(notice!)).toMatch(/could not open that image/);
    expect(kit.llm.requests).toHaveLength(0);
    // The log says why, with Lark's code, so the missing scope can be found.
    await kit.gateway.waitForLog(
      (l) =>
        l.msg === "image not readable; answering without it" &&
        /code 99991672 .*im:resource/.test(String((l.err as { message?: string })?.message)),
    );
  });

  it("does not take in a picture larger than Lark allows for images", async () => {
    const huge = Buffer.alloc(11 * 1024 * 1024, 1);
    const picture = await sendImage("img_v3_huge", huge);
    const [notice] = await kit.answersTo(picture.messageId);
    expect(messageText(notice!)).toMatch(/could not open that image/);
    expect(kit.llm.requests).toHaveLength(0);
  });

  it("sends a question's pictures up to 20 MB together, and answers with those", async () => {
    kit.llm.script({ text: "Two of three." });
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
    // 20 MB through download, base64 and the model call: slow when the machine is busy.
    await kit.answersTo(messageId, { timeoutMs: 20_000 });
    const parts = lastUserMessage(0).content as Part[];
    expect(parts.map((p) => p.type)).toEqual(["text", "image_url", "image_url"]);
    expect(parts[2]!.image_url!.url).toBe(dataUrl("image/png", eightMb(2)));
  });

  it("asks a person in p2p what to do with a file sent alone (files.test.ts answers it)", async () => {
    const file = await send("file", { file_key: "file_v3_report", file_name: "q3.pdf" });
    const [notice] = await kit.answersTo(file.messageId);
    expect(messageText(notice!)).toBe("Got q3.pdf. What would you like me to do with it?");
    expect(kit.llm.requests).toHaveLength(0);
  });

  it("stays quiet in a group where it reads every message, for what it cannot read", async () => {
    const inGroup = (type: "sticker" | "image" | "text", content: object) =>
      send(type, content, { chatId: TEXT_ONLY_CHAT, chatType: "group" });
    const sticker = await inGroup("sticker", { file_key: "file_v2_sticker" });
    const picture = await inGroup("image", { image_key: "img_v3_group" });
    kit.llm.script({ text: "Noted." });
    // Same sender, same group: one conversation, handled in order, so once this is answered
    // the two before it have been handled too.
    const question = await inGroup("text", { text: "anything new?" });
    await kit.answersTo(question.messageId);
    const repliedTo = kit.lark.messages.map((m) => m.replyTo);
    expect(repliedTo).not.toContain(sticker.messageId);
    expect(repliedTo).not.toContain(picture.messageId);
  });

  it("regenerates an answer about a picture with the picture again", async () => {
    kit.llm.script({ text: "first look" });
    const picture = await sendImage("img_v3_again", TINY_PNG);
    const [first] = await kit.answersTo(picture.messageId);
    kit.llm.script({ text: "second look" });
    const ack = await push(
      kit.cardAction({
        value: buttonValue(first!.card!.json, "Regenerate")!,
        messageId: first!.messageId,
        chatId: picture.chatId,
      }),
      "card",
    );
    expect(ack.status).toBe(200);
    const answers = await kit.answersTo(picture.messageId, { count: 2 });
    expect(messageText(answers[1]!)).toContain("second look");
    expect(lastUserMessage(1).content).toEqual([
      { type: "image_url", image_url: { url: dataUrl("image/png", TINY_PNG) } },
    ]);
  });
});
