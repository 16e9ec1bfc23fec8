import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { messageText } from "../kit/fake-lark.js";
import { cardImageKeys, cardText } from "../kit/fake-lark-card-json.js";
import { createPictureServer, type PictureServer } from "../kit/picture-server.js";
import { TINY_PNG } from "../kit/pictures.js";
import { cardOf } from "./card-helpers.js";
import { useE2eKit, writeConfig } from "./e2e-kit.js";

const JPEG = Buffer.from("ffd8ffe000104a46494600010100000100010000ffd9", "hex");
const PDF = Buffer.from("%PDF-1.4\n% a report\n%%EOF\n");
const DIFY_CHAT = "oc_pictures_dify";

/**
 * Pictures in answers, through the gateway process: image links an answer writes (and files a
 * Dify app produces) are fetched by the gateway from a picture server on loopback (allowed with
 * TEST_ALLOW_LOOPBACK_FETCH, tests only), uploaded to the fake Lark and shown in the card.
 */
describe("pictures in answers (e2e)", () => {
  let pictures: PictureServer | undefined;
  const kit = useE2eKit({
    fakes: ["llm", "dify"],
    chatPrefix: "pictures",
    env: async ({ lark, llm, dify }) => {
      pictures = await createPictureServer();
      return {
        NODE_ENV: "test",
        TEST_ALLOW_LOOPBACK_FETCH: "true",
        CONFIG_FILE: writeConfig(`
apps:
  words: { backend: openai, baseUrl: "${llm.url}", apiKey: "\${LLM_KEY}", model: chart-model }
  flows: { backend: dify, baseUrl: "${dify.url}", apiKey: "\${DIFY_KEY}" }
bots:
  default:
    appId: ${lark.app.appId}
    appSecret: \${BOT_SECRET}
    domain: ${lark.url}
    app: words
    chats:
      ${DIFY_CHAT}: { app: flows }
`),
        LLM_KEY: llm.apiKey,
        DIFY_KEY: dify.apiKey,
        BOT_SECRET: lark.app.appSecret,
      };
    },
  });
  const server = () => pictures!;
  beforeEach(() => pictures?.reset());
  afterAll(() => pictures?.close());

  /** The bytes Lark holds for each image the card shows, in order. */
  const shownImages = (card: unknown) =>
    cardImageKeys(card).map((key) => kit.lark.images.get(key)?.data);

  it("shows two markdown images as images in place, and leaves a private-address one a link", async () => {
    const sales = server().serve("/charts/sales.png", { body: TINY_PNG, contentType: "image/png" });
    // Served as text/plain: the gateway goes by the bytes, which are a JPEG.
    const costs = server().serve("/charts/costs", { body: JPEG, contentType: "text/plain" });
    const metadata = "http://169.254.169.254/latest/meta-data.png";
    kit.llm.script({
      text: `Sales went up:\n\n![Sales](${sales})\n\nCosts stayed flat:\n\n![Costs](${costs})\n\n![Internal](${metadata})\n\nThat is all.`,
      chunkDelayMs: 5,
    });
    const question = kit.message("show me the charts");
    await kit.push(question);
    const [answer] = await kit.answersTo(question.event.message.message_id, { card: true });
    const card = cardOf(answer!);

    expect(shownImages(card)).toEqual([TINY_PNG, JPEG]);
    const elements = (card as { body: { elements: Array<Record<string, unknown>> } }).body.elements;
    const order = elements.map((e) => (e.tag === "img" ? "img" : String(e.content ?? e.tag)));
    expect(order.slice(0, 4)).toEqual(["Sales went up:", "img", "Costs stayed flat:", "img"]);
    expect(cardText(card)).toContain(`[🖼 Internal](${metadata})`);
    expect(cardText(card)).not.toContain(sales);
    // The refused link was never fetched: only the two pictures were asked for.
    expect(server().requests.sort()).toEqual(["/charts/costs", "/charts/sales.png"]);

    // While it streamed, the card never showed the raw image markdown (Lark takes image keys only).
    const streamed = answer!.card!.contentUpdates.map((u) => u.content);
    expect(streamed.length).toBeGreaterThan(0);
    for (const text of streamed) expect(text).not.toMatch(/!\[[^\]]*\]\(http/);
  });

  it("uploads a data-URL picture without fetching anything", async () => {
    kit.llm.script({ text: `A dot: ![dot](data:image/png;base64,${TINY_PNG.toString("base64")})` });
    const question = kit.message("draw a dot");
    await kit.push(question);
    const [answer] = await kit.answersTo(question.event.message.message_id, { card: true });
    expect(shownImages(cardOf(answer!))).toEqual([TINY_PNG]);
    expect(cardText(cardOf(answer!))).not.toContain("base64");
    expect(server().requests).toEqual([]);
  });

  it("shows a Dify answer made only of files: the picture in the card, the PDF as a file message after it", async () => {
    const chart = server().serve("/files/tools/chart.png?sign=abc", { body: TINY_PNG });
    const report = server().serve("/files/tools/report.pdf", { body: PDF });
    kit.dify.script({
      text: "",
      files: [
        { type: "image", url: chart },
        { type: "document", url: report },
      ],
    });
    const question = kit.message("make the quarterly report", { chatId: DIFY_CHAT });
    await kit.push(question);
    const [answer, file] = await kit.answersTo(question.event.message.message_id, { count: 2 });
    const card = cardOf(answer!);
    expect(shownImages(card)).toEqual([TINY_PNG]);
    expect(cardText(card)).toContain("📎 report.pdf (sent below)");

    expect(file!.msgType).toBe("file");
    const fileKey = (file!.content as { file_key: string }).file_key;
    const uploaded = kit.lark.uploadedFiles.get(fileKey);
    expect(uploaded?.fileName).toBe("report.pdf");
    expect(uploaded?.fileType).toBe("pdf");
    expect(uploaded?.data.equals(PDF)).toBe(true);
    expect(messageText(answer!)).not.toBe("");
  });
});

/** The same pictures when answers are sent whole (ANSWER_MODE=final, or after a fallback). */
describe("pictures in answers sent whole (e2e)", () => {
  let pictures: PictureServer | undefined;
  const kit = useE2eKit({
    chatPrefix: "pictures_final",
    env: async (kit) => {
      pictures = await createPictureServer();
      return {
        ...kit.defaultBotEnv(),
        ANSWER_MODE: "final",
        NODE_ENV: "test",
        TEST_ALLOW_LOOPBACK_FETCH: "true",
      };
    },
  });
  afterAll(() => pictures?.close());

  it("shows the picture in the one card it sends", async () => {
    const chart = pictures!.serve("/chart.png", { body: TINY_PNG });
    kit.llm.script({ text: `Here:\n\n![Chart](${chart})` });
    const question = kit.message("chart please");
    await kit.push(question);
    const [answer] = await kit.answersTo(question.event.message.message_id);
    expect(answer!.card).toBeUndefined();
    expect(answer!.msgType).toBe("interactive");
    const keys = cardImageKeys(answer!.content);
    expect(keys.map((key) => kit.lark.images.get(key)?.data)).toEqual([TINY_PNG]);
  });
});
