import { describe, expect, it } from "vitest";
import { messageText } from "../kit/fake-lark.js";
import { TINY_PNG } from "../kit/pictures.js";
import { buttonLabels, cardTitle, chatWith, lastRequest } from "./chat-helpers.js";
import { useE2eKit } from "./e2e-kit.js";

type Part = { type: string; text?: string; image_url?: { url: string; detail?: string } };
type Sent = { role: string; content: string | Part[] };

/**
 * Feishu-OpenAI's picture questions (`/vision`, `图片推理`) for an app whose model reads images:
 * pictures sent on their own wait for the question that follows, at the detail level picked
 * on the mode's card. Through the real gateway process.
 */
describe("picture questions, /vision (e2e)", () => {
  const kit = useE2eKit({
    chatPrefix: "vision",
    env: (k) => ({ ...k.defaultBotEnv(), OPENAI_VISION: "on" }),
  });
  const chat = chatWith(kit);

  /** Sends a picture as Alice in `chatId` and waits for the one reply to it. */
  async function sendPicture(chatId: string, key: string, bytes = TINY_PNG) {
    const event = kit.message("", { chatId, messageType: "image", content: { image_key: key } });
    kit.lark.addResource(event.event.message.message_id, key, bytes, "image/png");
    await kit.push(event);
    const [reply] = await kit.answersTo(event.event.message.message_id);
    return reply!;
  }

  it("holds pictures for the next question, sent at the chosen detail, and leaves the mode", async () => {
    const { reply: card, chatId } = await chat.send("图片推理");
    expect(cardTitle(card)).toBe("Picture questions");
    expect(buttonLabels(card)).toEqual([
      "Auto",
      "Low (faster)",
      "High (small print)",
      "Back to normal",
    ]);
    const set = await chat.press(card, "High (small print)");
    expect(set.toast?.content).toBe("Detail set to **High (small print)**.");

    const other = Buffer.concat([TINY_PNG, Buffer.from("second")]);
    expect(messageText(await sendPicture(chatId, "img_v3_first"))).toBe(
      "Got it (1 picture(s)). What would you like to know?",
    );
    expect(messageText(await sendPicture(chatId, "img_v3_second", other))).toContain(
      "(2 picture(s))",
    );
    expect(kit.llm.requests).toHaveLength(0);

    kit.llm.script({ text: "Two small squares." });
    const { reply: answer } = await chat.send("what do these show?", { chatId });
    expect(messageText(answer)).toContain("Two small squares.");
    const user = (lastRequest(kit).body.messages as Sent[]).at(-1)!.content as Part[];
    expect(user.map((p) => p.type)).toEqual(["text", "image_url", "image_url"]);
    expect(user[0]!.text).toBe("what do these show?");
    expect(user[1]!.image_url).toEqual({
      url: `data:image/png;base64,${TINY_PNG.toString("base64")}`,
      detail: "high",
    });
    expect(user[2]!.image_url?.url).toBe(`data:image/png;base64,${other.toString("base64")}`);

    // The pictures went with that question only; the history says they were there.
    await chat.send("and now?", { chatId });
    const turns = (lastRequest(kit).body.messages as Sent[]).map((m) => m.content);
    expect(turns).toEqual(["[image] what do these show?", "Two small squares.", "and now?"]);

    const left = await chat.press(card, "Back to normal");
    expect(JSON.stringify(left.card)).toContain("Picture questions are off");
    kit.llm.script({ text: "A pixel." });
    expect(messageText(await sendPicture(chatId, "img_v3_third"))).toContain("A pixel.");
  });

  it("turns off with /vision sent again, and is on the help card", async () => {
    const { chatId } = await chat.send("/vision");
    const { reply } = await chat.send("/vision", { chatId });
    expect(messageText(reply)).toBe(
      "Picture questions are off: a picture is answered as soon as it arrives.",
    );
    const { reply: help } = await chat.send("/help", { chatId });
    expect(messageText(help)).toContain("`/vision` / `图片推理`: picture questions");
    expect(buttonLabels(help)).toContain("Ask about pictures");
  });
});
