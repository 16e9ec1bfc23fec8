import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLarkApi } from "../../src/lark/outbound/lark-api.js";
import { createLarkReplier } from "../../src/lark/outbound/lark-replier.js";
import { createFakeLark, type FakeLark, messageText } from "../kit/fake-lark.js";
import { type AnswerPath, createAnswerPath, quiet } from "./harness.js";

const STREAM = "/open-apis/cardkit/v1/cards/:card_id/elements/:element_id/content";
const CARD = "/open-apis/cardkit/v1/cards/:card_id";

/**
 * The answer path with the real Lark replier (live card, stream pump, API client with its
 * retries) against the fake Open Platform in this process: what a refused card update does to
 * the answer a user reads.
 */
describe("card updates refused by Lark, in process", () => {
  let lark: FakeLark;
  let path: AnswerPath | undefined;

  beforeAll(async () => {
    lark = await createFakeLark();
  });
  afterAll(() => lark.close());
  afterEach(async () => {
    await path?.close();
    path = undefined;
    lark.reset();
  });

  async function start(): Promise<AnswerPath> {
    const api = createLarkApi({
      appId: lark.app.appId,
      appSecret: lark.app.appSecret,
      domain: lark.url,
      logger: quiet,
      backoffMs: 5,
    });
    path = await createAnswerPath({
      replier: createLarkReplier({ api, logger: quiet, footer: false }),
    });
    return path;
  }

  const refused = (pattern: string, method?: string) =>
    lark.callsTo(pattern, method).filter((c) => c.code === 99991400);

  it("keeps streaming after a rate-limited update, with the newest text, in the same card", async () => {
    const p = await start();
    lark.inject({
      path: STREAM,
      code: 99991400,
      times: 1,
      headers: { "x-ogw-ratelimit-reset": "0" },
    });
    p.model.script(async function* () {
      yield { type: "text-delta", text: "First words" };
      await lark.waitFor(() => refused(STREAM).length === 1);
      yield { type: "text-delta", text: ", then the rest" };
      // The stream goes on after the refusal: the rest is shown before the answer ends.
      await lark.waitFor(() =>
        [...lark.cards.values()].some((c) =>
          c.contentUpdates.some((u) => u.content.includes("then the rest")),
        ),
      );
      yield { type: "text-delta", text: "." };
    });
    await p.answer("tell me");

    expect(refused(STREAM)).toHaveLength(1);
    // One answer message, the CardKit card, finished with every word.
    expect(lark.messages).toHaveLength(1);
    const [card] = lark.messages;
    expect(card!.card?.streaming).toBe(false);
    expect(messageText(card!)).toContain("First words, then the rest.");
    const [exchange] = await p.store.listExchanges({ botId: "bot", limit: 5 });
    expect(exchange).toMatchObject({ answer: "First words, then the rest.", status: "done" });
  });

  it("retries a refused final card until it lands, instead of sending the answer twice", async () => {
    const p = await start();
    lark.inject({
      path: CARD,
      method: "PUT",
      code: 99991400,
      times: 2,
      headers: { "x-ogw-ratelimit-reset": "0" },
    });
    p.model.script(async function* () {
      yield { type: "text-delta", text: "A short answer" };
    });
    await p.answer("quick one");

    expect(refused(CARD, "PUT")).toHaveLength(2);
    expect(lark.callsTo(CARD, "PUT").filter((c) => c.status === 200)).toHaveLength(1);
    expect(lark.messages).toHaveLength(1);
    expect(lark.messages[0]!.card?.streaming).toBe(false);
    expect(messageText(lark.messages[0]!)).toContain("A short answer");
  });
});
