import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createFakeLark, type FakeLark, messageText } from "./fake-lark.js";
import { messageEvent } from "./lark-events.js";
import { larkFailure, sdkClient, textContent } from "./sdk-test-helpers.js";

describe("fake Lark IM API with the official SDK client", () => {
  let fake: FakeLark;
  beforeAll(async () => {
    fake = await createFakeLark({ botName: "Kit Bot" });
  });
  beforeEach(() => fake.reset());
  afterAll(() => fake.close());

  it("issues a token once and records a reply to a pushed user message", async () => {
    const client = sdkClient(fake);
    const user = messageEvent({
      appId: fake.app.appId,
      chatId: "oc_room",
      chatType: "group",
      senderOpenId: "ou_alice",
      text: "hi",
    });
    fake.rememberInbound(user);
    const userMessageId = user.event.message.message_id;
    for (const text of ["one", "two"]) {
      const res = await client.im.v1.message.reply({
        path: { message_id: userMessageId },
        data: { msg_type: "text", content: textContent(text) },
      });
      expect(res.code).toBe(0);
      expect(res.data?.message_id).toMatch(/^om_/);
      expect(res.data?.chat_id).toBe("oc_room");
    }
    expect(fake.callsTo("/open-apis/auth/v3/tenant_access_token/internal")).toHaveLength(1);
    const replies = fake.callsTo("/open-apis/im/v1/messages/:message_id/reply");
    expect(replies.map((c) => c.appId)).toEqual([fake.app.appId, fake.app.appId]);
    expect(fake.messages.map(messageText)).toEqual(["one", "two"]);
    expect(fake.messages[0]?.replyTo).toBe(userMessageId);
  });

  it("rejects a wrong app secret, missing and unknown tokens", async () => {
    const wrong = sdkClient(fake, { ...fake.app, appSecret: "nope" });
    await expect(wrong.request({ url: "/open-apis/bot/v3/info", method: "GET" })).rejects.toThrow(
      /code: 10014/,
    );
    const missing = await fetch(`${fake.url}/open-apis/bot/v3/info`);
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { code: number }).code).toBe(99991661);
    const unknown = await fetch(`${fake.url}/open-apis/bot/v3/info`, {
      headers: { authorization: "Bearer t-forged" },
    });
    expect(await unknown.json()).toEqual({ code: 99991663, msg: "tenant token invalid" });
  });

  it("answers bot/v3/info with top-level bot fields", async () => {
    const info: { bot?: unknown } = await sdkClient(fake).request({
      url: "/open-apis/bot/v3/info",
      method: "GET",
    });
    expect(info.bot).toMatchObject({
      activate_status: 2,
      app_name: "Kit Bot",
      open_id: fake.app.botOpenId,
    });
  });

  it("keeps replies in threads: existing thread, and reply_in_thread starting one", async () => {
    const client = sdkClient(fake);
    const inThread = messageEvent({
      appId: fake.app.appId,
      chatId: "oc_topic",
      chatType: "group",
      senderOpenId: "ou_alice",
      threadId: "omt_existing",
      rootId: "om_root",
      text: "in a thread",
    });
    fake.rememberInbound(inThread);
    const a = await client.im.v1.message.reply({
      path: { message_id: inThread.event.message.message_id },
      data: { msg_type: "text", content: textContent("a") },
    });
    expect(a.data).toMatchObject({ thread_id: "omt_existing", root_id: "om_root" });

    const b = await client.im.v1.message.reply({
      path: { message_id: "om_plain" },
      data: { msg_type: "text", content: textContent("b"), reply_in_thread: true },
    });
    expect(b.data?.thread_id).toMatch(/^omt_/);
    const c = await client.im.v1.message.reply({
      path: { message_id: "om_plain" },
      data: { msg_type: "text", content: textContent("c") },
    });
    expect(c.data?.thread_id).toBe(b.data?.thread_id);
    const plain = await client.im.v1.message.reply({
      path: { message_id: "om_other" },
      data: { msg_type: "text", content: textContent("d") },
    });
    expect(plain.data?.thread_id).toBeUndefined();
    expect(plain.data?.parent_id).toBe("om_other");
  });

  it("dedups sends by uuid", async () => {
    const client = sdkClient(fake);
    const send = () =>
      client.im.v1.message.create({
        params: { receive_id_type: "open_id" },
        data: { receive_id: "ou_bob", msg_type: "text", content: textContent("once"), uuid: "u-1" },
      });
    const first = await send();
    const second = await send();
    expect(second.data?.message_id).toBe(first.data?.message_id);
    expect(fake.messages).toHaveLength(1);
    expect(fake.messages[0]?.chatId).toMatch(/^oc_/);
  });

  it("enforces content rules: JSON string, size, update_multi, PATCH rate", async () => {
    const client = sdkClient(fake);
    const create = (msg_type: string, content: string) =>
      client.im.v1.message.create({
        params: { receive_id_type: "chat_id" },
        data: { receive_id: "oc_room", msg_type, content },
      });
    expect((await larkFailure(create("text", "not json"))).code).toBe(230001);
    const huge = await larkFailure(create("text", textContent("x".repeat(151 * 1024))));
    expect(huge).toMatchObject({ status: 400, code: 230025 });

    const frozen = await create("interactive", JSON.stringify({ elements: [] }));
    const frozenPatch = client.im.v1.message.patch({
      path: { message_id: frozen.data!.message_id! },
      data: { content: JSON.stringify({ config: { update_multi: true }, elements: [] }) },
    });
    expect((await larkFailure(frozenPatch)).code).toBe(230001);

    const card = (text: string) =>
      JSON.stringify({
        config: { update_multi: true },
        elements: [{ tag: "markdown", content: text }],
      });
    const live = await create("interactive", card("v0"));
    const patch = (text: string) =>
      client.im.v1.message.patch({
        path: { message_id: live.data!.message_id! },
        data: { content: card(text) },
      });
    for (let i = 1; i <= 5; i++) await patch(`v${i}`);
    expect(await larkFailure(patch("v6"))).toMatchObject({ status: 400, code: 230020 });
    const stored = fake.messages.find((m) => m.messageId === live.data?.message_id)!;
    expect(stored.updates).toHaveLength(5);
    expect(messageText(stored)).toBe("v5");
  });

  it("revoking im:message:update makes PATCH answer 99991672 until granted again", async () => {
    const client = sdkClient(fake);
    const sent = await client.im.v1.message.create({
      params: { receive_id_type: "chat_id" },
      data: {
        receive_id: "oc_room",
        msg_type: "interactive",
        content: JSON.stringify({ schema: "2.0", body: { elements: [] } }),
      },
    });
    const patch = () =>
      client.im.v1.message.patch({
        path: { message_id: sent.data!.message_id! },
        data: { content: JSON.stringify({ schema: "2.0", body: { elements: [] } }) },
      });
    fake.revokeScope(fake.app.appId, "im:message:update");
    const denied = await larkFailure(patch());
    expect(denied).toMatchObject({ status: 400, code: 99991672 });
    expect(denied.msg).toContain("[im:message:update]");
    fake.grantScope(fake.app.appId, "im:message:update");
    expect((await patch()).code).toBe(0);
  });

  it("serves a message's images as bytes with their type, and Lark's codes otherwise", async () => {
    const auth = await fetch(`${fake.url}/open-apis/auth/v3/tenant_access_token/internal`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ app_id: fake.app.appId, app_secret: fake.app.appSecret }),
    });
    const { tenant_access_token: token } = (await auth.json()) as { tenant_access_token: string };
    const get = (messageId: string, key: string, type = "image") =>
      fetch(`${fake.url}/open-apis/im/v1/messages/${messageId}/resources/${key}?type=${type}`, {
        headers: { authorization: `Bearer ${token}` },
      });
    const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xd9]);
    fake.addResource("om_with_image", "img_v3_k", bytes, "image/jpeg");

    const ok = await get("om_with_image", "img_v3_k");
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("image/jpeg");
    expect(Buffer.from(await ok.arrayBuffer())).toEqual(bytes);

    const codeOf = async (response: Response) =>
      [response.status, ((await response.json()) as { code: number }).code] as const;
    expect(await codeOf(await get("om_with_image", "img_v3_other"))).toEqual([400, 234003]);
    expect(await codeOf(await get("om_with_image", "img_v3_k", "video"))).toEqual([400, 234001]);
    fake.revokeScope(fake.app.appId, "im:resource");
    expect(await codeOf(await get("om_with_image", "img_v3_k"))).toEqual([400, 99991672]);
    fake.grantScope(fake.app.appId, "im:resource");

    // A voice message's audio is a file: type=file, and not served as an image.
    const ogg = Buffer.from("OggS\0voice");
    fake.addResource("om_voice", "file_v3_voice", ogg, "audio/ogg");
    const audio = await get("om_voice", "file_v3_voice", "file");
    expect([audio.status, audio.headers.get("content-type")]).toEqual([200, "audio/ogg"]);
    expect(Buffer.from(await audio.arrayBuffer())).toEqual(ogg);
    expect(await codeOf(await get("om_voice", "file_v3_voice", "image"))).toEqual([400, 234001]);
    expect(await codeOf(await get("om_with_image", "img_v3_k", "file"))).toEqual([400, 234001]);
  });

  it("recognises speech as file_recognize does: checks the request, answers what was scripted", async () => {
    const client = sdkClient(fake);
    const pcm = Buffer.alloc(16_000 * 2 * 3); // 3 s of silence
    const ask = (config: { file_id: string; format: string; engine_type: string }, speech = pcm) =>
      client.speech_to_text.v1.speech.fileRecognize({
        data: { speech: { speech: speech.toString("base64") }, config },
      });
    const good = { file_id: "abcdef0123456789", format: "pcm", engine_type: "16k_auto" };
    fake.speech.script({ text: "你好" });
    expect((await ask(good)).data?.recognition_text).toBe("你好");
    expect(fake.speech.requests.map((r) => [r.fileId, r.seconds])).toEqual([
      ["abcdef0123456789", 3],
    ]);
    expect((await ask(good)).data?.recognition_text).toBe("");
    for (const [config, speech] of [
      [{ ...good, file_id: "short" }, pcm],
      [{ ...good, format: "wav" }, pcm],
      [{ ...good, engine_type: "8k" }, pcm],
      [good, Buffer.alloc(61 * 32_000)],
      [good, Buffer.alloc(3)],
    ] as const) {
      expect((await larkFailure(ask(config, speech))).code).toBe(99992402);
    }
    fake.speech.script({ code: 2300001, msg: "scripted" });
    expect((await larkFailure(ask(good))).code).toBe(2300001);
    fake.revokeScope(fake.app.appId, "speech_to_text:speech");
    const refused = await larkFailure(ask(good));
    expect([refused.code, refused.msg]).toEqual([
      99991672,
      "Access denied. One of the following scopes is required: [speech_to_text:speech]",
    ]);
  });

  it("adds and removes reactions", async () => {
    const client = sdkClient(fake);
    const added = await client.im.v1.messageReaction.create({
      path: { message_id: "om_user" },
      data: { reaction_type: { emoji_type: "Typing" } },
    });
    const reactionId = added.data!.reaction_id!;
    await client.im.v1.messageReaction.delete({
      path: { message_id: "om_user", reaction_id: reactionId },
    });
    expect(fake.reactions).toEqual([
      expect.objectContaining({
        reactionId,
        messageId: "om_user",
        emojiType: "Typing",
        deleted: true,
      }),
    ]);
  });

  it("injects failures and latency in order", async () => {
    const client = sdkClient(fake);
    await client.request({ url: "/open-apis/bot/v3/info", method: "GET" }); // token first
    fake.inject({ path: "/open-apis/im/v1/messages", code: 99991400 });
    fake.inject({ path: "/open-apis/im/v1/messages", delayMs: 120 });
    const send = () =>
      client.im.v1.message.create({
        params: { receive_id_type: "chat_id" },
        data: { receive_id: "oc_room", msg_type: "text", content: textContent("x") },
      });
    const limited = await larkFailure(send());
    expect(limited).toMatchObject({ status: 429, code: 99991400 });
    expect(limited.headers["x-ogw-ratelimit-reset"]).toBeDefined();
    const started = performance.now();
    await send();
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    await send();
    expect(fake.messages).toHaveLength(2);
  });

  it("extracts visible text from posts and cards with tables", async () => {
    const client = sdkClient(fake);
    const post = {
      zh_cn: {
        title: "T",
        content: [
          [
            { tag: "text", text: "a " },
            { tag: "a", text: "link", href: "https://x" },
          ],
          [{ tag: "md", text: "**b**" }],
        ],
      },
    };
    const table = {
      tag: "table",
      columns: [
        { name: "k", display_name: "Key" },
        { name: "v", display_name: "Value" },
      ],
      rows: [{ k: "x", v: 1 }],
    };
    const card = {
      schema: "2.0",
      header: { title: { tag: "plain_text", content: "Head" } },
      body: { elements: [{ tag: "markdown", content: "body" }, table] },
    };
    for (const [msg_type, content] of [
      ["post", post],
      ["interactive", card],
    ] as const) {
      await client.im.v1.message.create({
        params: { receive_id_type: "chat_id" },
        data: { receive_id: "oc_room", msg_type, content: JSON.stringify(content) },
      });
    }
    const [p, c] = await fake.waitForMessages(2);
    expect(messageText(p!)).toBe("T\na link\n**b**");
    expect(messageText(c!)).toBe("Head\nbody\nKey | Value\nx | 1");
  });

  it("waitForMessages says what it waited for on timeout", async () => {
    await expect(fake.waitForMessages(1, undefined, 50)).rejects.toThrow(/1 bot message\(s\)/);
  });
});
