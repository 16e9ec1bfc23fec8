import pino from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createLarkApi } from "../../../src/lark/outbound/lark-api.js";
import { LarkApiError } from "../../../src/lark/outbound/lark-api-error.js";
import { createFakeLark, type FakeLark } from "../../kit/fake-lark.js";
import { TINY_PNG } from "../../kit/pictures.js";

const REPLY = "/open-apis/im/v1/messages/:message_id/reply";

/** Our Lark client over the official SDK, against the fake Open Platform. */
describe("Lark API client", () => {
  let lark: FakeLark;
  const api = (appSecret = lark.app.appSecret) =>
    createLarkApi({
      appId: lark.app.appId,
      appSecret,
      domain: lark.url,
      logger: pino({ level: "silent" }),
      backoffMs: 5,
    });
  const reply = (client: ReturnType<typeof api>) =>
    client.reply("om_user_message", { msgType: "text", content: { text: "hi" } });

  beforeAll(async () => {
    lark = await createFakeLark();
  });
  afterAll(() => lark.close());
  beforeEach(() => lark.reset());

  it("retries server errors and rate limits with backoff, then delivers once", async () => {
    lark.inject({ path: REPLY, status: 503, times: 1 });
    lark.inject({ path: REPLY, code: 230020, times: 1 });
    lark.inject({
      path: REPLY,
      code: 99991400,
      times: 1,
      headers: { "x-ogw-ratelimit-reset": "0" },
    });
    const sent = await reply(api());
    expect(sent.messageId).toMatch(/^om_/);
    expect(lark.callsTo(REPLY)).toHaveLength(4);
    expect(lark.messages).toHaveLength(1);
  });

  it("does not retry what cannot succeed, and says what went wrong", async () => {
    lark.inject({
      path: REPLY,
      code: 230002,
      msg: "Bot/User can NOT be out of the chat.",
      times: 5,
    });
    const error = await reply(api()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LarkApiError);
    expect((error as LarkApiError).kind).toBe("gone");
    expect((error as LarkApiError).message).toMatch(/230002/);
    expect(lark.callsTo(REPLY)).toHaveLength(1);
  });

  it("fetches the tenant token once and a new one when Lark revokes it", async () => {
    const client = api();
    await reply(client);
    await reply(client);
    const tokenCalls = () => lark.callsTo("/open-apis/auth/v3/tenant_access_token/internal").length;
    expect(tokenCalls()).toBe(1);
    lark.invalidateTokens(lark.app.appId);
    await reply(client);
    expect(tokenCalls()).toBe(2);
    expect(lark.messages).toHaveLength(3);
  });

  it("names the wrong secret", async () => {
    const error = (await reply(api("wrong-secret")).catch((e: unknown) => e)) as LarkApiError;
    expect(error.kind).toBe("auth");
    expect(error.code).toBe(10014);
    expect(error.message).toMatch(/APP_SECRET/);
    expect(error.message).not.toContain("wrong-secret");
  });

  it("gives up on a picture download that stalls, within its timeout", async () => {
    const client = createLarkApi({
      appId: lark.app.appId,
      appSecret: lark.app.appSecret,
      domain: lark.url,
      logger: pino({ level: "silent" }),
      downloadTimeoutMs: 200,
    });
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    lark.addRoute(
      "GET",
      "/open-apis/im/v1/messages/om_stalled/resources/img_v3_stalled",
      async () => {
        await held;
        return { status: 200, headers: { "content-type": "image/png" }, body: Buffer.from("late") };
      },
    );
    try {
      const error = await client
        .downloadImage("om_stalled", "img_v3_stalled", 1024)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LarkApiError);
      expect((error as Error).message).toMatch(/not downloaded within 0\.2 s/);
    } finally {
      release();
    }
    // A picture that does come is read whole, with its type.
    lark.addResource("om_fine", "img_v3_fine", Buffer.from([1, 2, 3]), "image/jpeg");
    expect(await client.downloadImage("om_fine", "img_v3_fine", 1024)).toEqual({
      data: Buffer.from([1, 2, 3]),
      mimeType: "image/jpeg",
    });
  });

  it("reads the bot's own open_id for mention matching", async () => {
    expect((await api().botInfo()).openId).toBe(lark.app.botOpenId);
  });

  it("uploads a picture, shows it in a card, and reads it back; refuses what is not an image", async () => {
    const client = api();
    const imageKey = await client.uploadImage(TINY_PNG, "image/png");
    expect(lark.images.get(imageKey)?.data.equals(TINY_PNG)).toBe(true);
    await client.reply("om_user_message", {
      msgType: "interactive",
      content: { schema: "2.0", body: { elements: [{ tag: "img", img_key: imageKey }] } },
    });
    expect(lark.messages).toHaveLength(1);
    const back = await client.downloadOwnImage(imageKey, 1024 * 1024);
    expect(back).toEqual({ data: TINY_PNG, mimeType: "image/png" });

    const notAnImage = await client
      .uploadImage(Buffer.from("<html>"), "image/png")
      .catch((e: unknown) => e);
    expect(notAnImage).toBeInstanceOf(LarkApiError);
    expect((notAnImage as LarkApiError).code).toBe(234011);
    // A card may only show the app's own uploads.
    const foreign = await client
      .reply("om_user_message", {
        msgType: "interactive",
        content: { schema: "2.0", body: { elements: [{ tag: "img", img_key: "img_v3_other" }] } },
      })
      .catch((e: unknown) => e);
    expect((foreign as LarkApiError).code).toBe(230099);
  });
});
