import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createFakeLark, type FakeLark, messageText } from "./fake-lark.js";
import { larkFailure, sdkClient } from "./sdk-test-helpers.js";

const streamingCard = (extra: object[] = []) =>
  JSON.stringify({
    schema: "2.0",
    config: { streaming_mode: true, summary: { content: "" } },
    body: { elements: [{ tag: "markdown", element_id: "stream_md", content: "…" }, ...extra] },
  });

describe("fake CardKit with the official SDK client", () => {
  let fake: FakeLark;
  let client: ReturnType<typeof sdkClient>;
  beforeAll(async () => {
    fake = await createFakeLark();
  });
  beforeEach(() => {
    fake.reset();
    client = sdkClient(fake);
  });
  afterAll(() => fake.close());

  const createCard = async (data = streamingCard()) => {
    const res = await client.cardkit.v1.card.create({ data: { type: "card_json", data } });
    return res.data!.card_id!;
  };
  const stream = (cardId: string, content: string, sequence: number) =>
    client.cardkit.v1.cardElement.content({
      path: { card_id: cardId, element_id: "stream_md" },
      data: { content, sequence },
    });

  it("streams into a sent card, enforcing sequence and streaming mode", async () => {
    const cardId = await createCard();
    await client.im.v1.message.create({
      params: { receive_id_type: "chat_id" },
      data: {
        receive_id: "oc_room",
        msg_type: "interactive",
        content: JSON.stringify({ type: "card", data: { card_id: cardId } }),
      },
    });
    await stream(cardId, "Hel", 1);
    await stream(cardId, "Hello", 2);
    expect(await larkFailure(stream(cardId, "Hello!", 2))).toMatchObject({
      status: 400,
      code: 300317,
    });
    const [message] = fake.messages;
    expect(messageText(message!)).toBe("Hello");
    expect(fake.cards.get(cardId)?.sentAsMessageId).toBe(message?.messageId);

    const close = (sequence: number) =>
      client.cardkit.v1.card.settings({
        path: { card_id: cardId },
        data: {
          settings: JSON.stringify({
            config: { streaming_mode: false, summary: { content: "Hello" } },
          }),
          sequence,
        },
      });
    // The sequence is shared by all operations on the card, not per operation kind.
    expect((await larkFailure(close(1))).code).toBe(300317);
    await close(3);
    expect(fake.cards.get(cardId)?.streaming).toBe(false);
    expect((await larkFailure(stream(cardId, "late", 4))).code).toBe(300309);
  });

  it("a card entity is sent once, by its owner", async () => {
    const cardId = await createCard();
    const send = (c = client) =>
      c.im.v1.message.create({
        params: { receive_id_type: "chat_id" },
        data: {
          receive_id: "oc_room",
          msg_type: "interactive",
          content: JSON.stringify({ type: "card", data: { card_id: cardId } }),
        },
      });
    const other = sdkClient(fake, fake.addApp({}));
    expect((await larkFailure(send(other))).code).toBe(230099);
    await send();
    expect((await larkFailure(send())).code).toBe(230099);
  });

  it("answers the 11th operation within a second with 429 and rate-limit headers", async () => {
    const cardId = await createCard();
    for (let seq = 1; seq <= 10; seq++) await stream(cardId, `t${seq}`, seq);
    const limited = await larkFailure(stream(cardId, "t11", 11));
    expect(limited).toMatchObject({ status: 429, code: 99991400 });
    expect(limited.headers["x-ogw-ratelimit-limit"]).toBe("10");
    expect(Number(limited.headers["x-ogw-ratelimit-reset"])).toBeGreaterThanOrEqual(1);
    expect(fake.cards.get(cardId)?.contentUpdates).toHaveLength(10);
  });

  it("validates card JSON: schema 2.0, unique element ids, table limit", async () => {
    const create = (card: object) =>
      client.cardkit.v1.card.create({ data: { type: "card_json", data: JSON.stringify(card) } });
    expect((await larkFailure(create({ elements: [] }))).code).toBe(300303);
    const dup = { tag: "markdown", element_id: "stream_md", content: "again" };
    expect((await larkFailure(create(JSON.parse(streamingCard([dup]))))).code).toBe(300301);
    const table = { tag: "table", columns: [], rows: [] };
    const tooMany = await larkFailure(create(JSON.parse(streamingCard(Array(6).fill(table)))));
    expect(tooMany).toMatchObject({ status: 400, code: 230099 });
    expect(tooMany.msg).toContain("ErrCode: 11310");
    await create(JSON.parse(streamingCard(Array(5).fill(table))));
  });

  it("a full update replaces the card and is validated like a create", async () => {
    const cardId = await createCard();
    const update = (data: string, sequence: number) =>
      client.cardkit.v1.card.update({
        path: { card_id: cardId },
        data: { card: { type: "card_json", data }, sequence },
      });
    const table = { tag: "table", columns: [], rows: [] };
    expect((await larkFailure(update(streamingCard(Array(6).fill(table)), 1))).code).toBe(230099);
    await update(streamingCard([{ tag: "markdown", element_id: "extra", content: "more" }]), 1);
    expect([...(fake.cards.get(cardId)?.elements.keys() ?? [])]).toEqual(["stream_md", "extra"]);
  });

  it("without cardkit:card:write every CardKit route answers 99991672", async () => {
    const cardId = await createCard();
    fake.revokeScope(fake.app.appId, "cardkit:card:write");
    for (const call of [() => createCard(), () => stream(cardId, "x", 1)]) {
      const denied = await larkFailure(call());
      expect(denied).toMatchObject({ status: 400, code: 99991672 });
      expect(denied.msg).toBe(
        "Access denied. One of the following scopes is required: [cardkit:card:write]",
      );
    }
  });
});
