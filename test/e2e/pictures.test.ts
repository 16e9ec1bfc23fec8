import { describe, expect, it } from "vitest";
import type { FakeLark, FakeMessage } from "../kit/fake-lark.js";
import { messageText } from "../kit/fake-lark.js";
import type { ImageRequest } from "../kit/fake-llm-image-routes.js";
import { TINY_PNG } from "../kit/pictures.js";
import { cardOf } from "./card-helpers.js";
import { buttonLabels, cardTitle, chatWith } from "./chat-helpers.js";
import { type E2eKit, useE2eKit } from "./e2e-kit.js";

/** The image_key of the `img` element of a card message. */
function imageKeyOf(message: FakeMessage): string | undefined {
  const match = /"img_key":"([^"]+)"/.exec(JSON.stringify(cardOf(message)));
  return match?.[1];
}

/** The bytes Lark holds for the picture a card shows. */
function pictureOf(lark: FakeLark, message: FakeMessage): Buffer | undefined {
  const key = imageKeyOf(message);
  return key ? lark.images.get(key)?.data : undefined;
}

/** Waits for the n-th picture card the bot sent (a reply with an image in it). */
async function pictureCards(kit: E2eKit, count: number): Promise<FakeMessage[]> {
  return kit.lark.waitForMessages(count, (m) => m.msgType === "interactive" && !!imageKeyOf(m));
}

const lastImageRequest = (kit: E2eKit): ImageRequest => {
  const request = kit.llm.images.requests.at(-1);
  if (!request) throw new Error("the images API was not called");
  return request;
};

/**
 * Feishu-OpenAI's picture creation: `/picture <description>` and picture mode (`图片创作`), the
 * picture drawn by the app's images endpoint, uploaded to Lark and shown in a card with
 * "Draw again" and "Variation". Through the real gateway process.
 */
describe("picture creation with dall-e-3, the default (e2e)", () => {
  const kit = useE2eKit({ chatPrefix: "pictures" });
  const chat = chatWith(kit);

  it("draws /picture's description, uploads it to Lark and shows it in a card, without the chat model", async () => {
    kit.llm.images.script({ revisedPrompt: "A red fox in fresh snow, soft morning light" });
    const { reply, messageId } = await chat.send("/picture a red fox in the snow");

    const request = lastImageRequest(kit);
    expect(request.operation).toBe("generations");
    expect(request.apiKey).toBe(kit.llm.apiKey);
    expect(request.fields).toMatchObject({
      model: "dall-e-3",
      prompt: "a red fox in the snow",
      size: "1024x1024",
      style: "vivid",
      response_format: "b64_json",
      user: "ou_alice",
    });
    expect(reply.replyTo).toBe(messageId);
    expect(cardTitle(reply)).toBe("Picture creation");
    // The very picture the images API drew, held by Lark under the key the card shows.
    expect(pictureOf(kit.lark, reply)?.equals(request.answered!)).toBe(true);
    expect(messageText(reply)).toContain("a red fox in the snow");
    expect(messageText(reply)).toContain("A red fox in fresh snow, soft morning light");
    expect(buttonLabels(reply)).toEqual(["Draw again", "Variation"]);
    expect(kit.llm.requests).toHaveLength(0);
  });

  it("draws again and varies from a picture's buttons, each a new card", async () => {
    kit.llm.images.script({ revisedPrompt: "A tidy lighthouse at dusk" });
    const { reply: first, messageId } = await chat.send("/picture a lighthouse");

    const again = await chat.press(first, "Draw again");
    expect(again.toast?.content).toBe("Drawing…");
    const [, second] = await pictureCards(kit, 2);
    expect(second!.replyTo).toBe(messageId);
    expect(lastImageRequest(kit).fields.prompt).toBe("a lighthouse");
    expect(pictureOf(kit.lark, second!)?.equals(pictureOf(kit.lark, first)!)).toBe(false);

    // dall-e-3 has no variations: it draws again from the detailed prompt it wrote.
    await chat.press(first, "Variation");
    await pictureCards(kit, 3);
    expect(lastImageRequest(kit).operation).toBe("generations");
    expect(lastImageRequest(kit).fields.prompt).toBe("A tidy lighthouse at dusk");
  });

  it("turns picture mode on with 图片创作, draws plain text in the chosen shape, and leaves it", async () => {
    const { reply: card, chatId } = await chat.send("图片创作");
    expect(cardTitle(card)).toBe("Picture creation");
    expect(buttonLabels(card)).toEqual([
      "Square",
      "Landscape",
      "Portrait",
      "Vivid",
      "Natural",
      "Back to questions",
    ]);
    const shaped = await chat.press(card, "Landscape");
    expect(shaped.toast?.content).toBe("Picture settings saved.");
    expect(JSON.stringify(shaped.card)).toContain("Shape: **Landscape**");
    await chat.press(card, "Natural");

    const { reply: picture } = await chat.send("a quiet harbour", { chatId });
    expect(imageKeyOf(picture)).toBeDefined();
    expect(lastImageRequest(kit).fields).toMatchObject({
      prompt: "a quiet harbour",
      size: "1792x1024",
      style: "natural",
    });
    expect(kit.llm.requests).toHaveLength(0);

    const left = await chat.press(card, "Back to questions");
    expect(JSON.stringify(left.card)).toContain("Picture mode is off");
    const { reply: answer } = await chat.send("what is a harbour?", { chatId });
    expect(messageText(answer)).toContain("echo: what is a harbour?");
    expect(kit.llm.images.requests).toHaveLength(1);
  });

  it("says in one line when the images API refuses a description, and keeps the chat usable", async () => {
    kit.llm.images.script({
      status: 400,
      errorBody: {
        error: {
          code: "content_policy_violation",
          message: "Your request was rejected as a result of our safety system.",
          type: "invalid_request_error",
          param: null,
        },
      },
    });
    const { reply, chatId } = await chat.send("/picture something not allowed");
    expect(reply.msgType).toBe("text");
    expect(messageText(reply)).toMatch(
      /^Sorry, I could not make the picture \(the service's content policy refused it; try putting it differently\)\. Reference: [0-9a-f]{8}$/,
    );
    const { reply: next } = await chat.send("/picture a cat", { chatId });
    expect(imageKeyOf(next)).toBeDefined();
  });

  it("lists /picture on the help card with a button into picture mode", async () => {
    const { reply } = await chat.send("/help");
    expect(messageText(reply)).toContain("`/picture` / `图片创作` <description>: draw a picture");
    const entered = await chat.press(reply, "Create pictures");
    expect(JSON.stringify(entered.card)).toContain("Picture mode is on");
  });
});

describe("picture creation with gpt-image-1 answering by link (e2e)", () => {
  const kit = useE2eKit({
    chatPrefix: "gpt-image",
    env: (k) => ({ ...k.defaultBotEnv(), OPENAI_IMAGE_MODEL: "gpt-image-1" }),
  });
  const chat = chatWith(kit);

  it("fetches a picture answered by URL, and varies it through edits with the picture itself", async () => {
    kit.llm.images.script({ as: "url" });
    const { reply: first } = await chat.send("/picture a paper boat");
    const drawn = lastImageRequest(kit);
    expect(drawn.fields).toMatchObject({ model: "gpt-image-1", size: "1024x1024" });
    // gpt-image-1 refuses response_format; nothing is asked of it.
    expect(drawn.fields.response_format).toBeUndefined();
    expect(pictureOf(kit.lark, first)?.equals(drawn.answered!)).toBe(true);

    await chat.press(first, "Variation");
    await pictureCards(kit, 2);
    const varied = lastImageRequest(kit);
    expect(varied.operation).toBe("edits");
    expect(varied.image?.equals(drawn.answered!)).toBe(true);
    expect(String(varied.fields.prompt)).toContain("a paper boat");
  });

  it("varies a picture the user sends in picture mode", async () => {
    const { chatId } = await chat.send("/picture");
    const event = kit.message("", {
      chatId,
      messageType: "image",
      content: { image_key: "img_v3_user_sketch" },
    });
    kit.lark.addResource(
      event.event.message.message_id,
      "img_v3_user_sketch",
      TINY_PNG,
      "image/png",
    );
    await kit.push(event);
    const [card] = await kit.answersTo(event.event.message.message_id);
    expect(imageKeyOf(card!)).toBeDefined();
    const request = lastImageRequest(kit);
    expect(request.operation).toBe("edits");
    expect(request.image?.equals(TINY_PNG)).toBe(true);
  });

  it("says picture mode is off when /picture is sent again", async () => {
    const { chatId } = await chat.send("/picture");
    const { reply } = await chat.send("/picture", { chatId });
    expect(messageText(reply)).toBe("Picture mode is off: messages are questions again.");
  });
});
