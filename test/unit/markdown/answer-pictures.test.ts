import pino from "pino";
import { describe, expect, it } from "vitest";
import { createAnswerPictures } from "../../../src/lark/outbound/answer-pictures.js";
import type { PictureLookup } from "../../../src/lark/outbound/markdown/picture-lookup.js";
import { renderCardBody } from "../../../src/lark/outbound/markdown/render-card-body.js";
import { streamingPictures } from "../../../src/lark/outbound/markdown/streaming-pictures.js";
import { TINY_PNG } from "../../kit/pictures.js";

const logger = pino({ level: "silent" });
const states: Record<string, ReturnType<PictureLookup>> = {
  "https://x.dev/a.png": { state: "shown", imageKey: "img_a" },
  "https://x.dev/b.png": { state: "refused" },
  "https://x.dev/c.png": { state: "loading" },
};
const lookup: PictureLookup = (href) => states[href];

describe("pictures in the rendered card", () => {
  it("puts a shown picture in place as an image component, between the text around it", () => {
    const body = renderCardBody("Before ![Sales chart](https://x.dev/a.png) after.\n\nNext.", {
      pictures: lookup,
    });
    expect(body).toEqual([
      { tag: "markdown", content: "Before" },
      {
        tag: "img",
        img_key: "img_a",
        alt: { tag: "plain_text", content: "Sales chart" },
        scale_type: "fit_horizontal",
        preview: true,
      },
      { tag: "markdown", content: "after.\n\nNext." },
    ]);
  });

  it("leaves a refused picture a link, and shows one inside a list by its key", () => {
    const body = renderCardBody("![b](https://x.dev/b.png)\n\n- item ![a](https://x.dev/a.png)", {
      pictures: lookup,
    });
    expect(body).toEqual([
      { tag: "markdown", content: "[🖼 b](https://x.dev/b.png)\n\n- item ![a](img_a)" },
    ]);
  });

  it("renders as before without pictures", () => {
    expect(renderCardBody("![a](https://x.dev/a.png)")).toEqual([
      { tag: "markdown", content: "[🖼 a](https://x.dev/a.png)" },
    ]);
  });
});

describe("pictures while streaming", () => {
  const placeholder = (alt: string) => `(loading ${alt})`;

  it("shows the loaded picture, a placeholder for one loading or being typed, a link for one refused", () => {
    const text =
      "A ![a](https://x.dev/a.png) B ![b](https://x.dev/b.png) C ![c](https://x.dev/c.png) D ![d](https://x.d";
    expect(streamingPictures(text, lookup, placeholder)).toBe(
      "A ![a](img_a) B [🖼 b](https://x.dev/b.png) C (loading c) D (loading d)",
    );
  });
});

describe("createAnswerPictures", () => {
  it("loads each link once, caps an answer's pictures, and refuses what fails to load", async () => {
    const loaded: string[] = [];
    const pictures = createAnswerPictures({
      load: async (href) => {
        loaded.push(href);
        if (href.includes("broken")) throw Object.assign(new Error("no"), { reason: "status" });
        return { data: TINY_PNG, mimeType: "image/png" };
      },
      upload: async () => `img_${loaded.length}`,
      logger,
      max: 2,
    });
    pictures.see("![1](https://x.dev/broken.png) ![2](https://x.dev/2.png)");
    pictures.see(
      "![1](https://x.dev/broken.png) ![2](https://x.dev/2.png) ![3](https://x.dev/3.png)",
    );
    await pictures.settled();
    expect(loaded).toEqual(["https://x.dev/broken.png", "https://x.dev/2.png"]);
    expect(pictures.lookup("https://x.dev/broken.png")).toEqual({ state: "refused" });
    expect(pictures.lookup("https://x.dev/2.png")?.state).toBe("shown");
    expect(pictures.lookup("https://x.dev/3.png")).toEqual({ state: "refused" });
  });

  it("stands a short link in for a data URL, and loads the data behind it", async () => {
    const loaded: string[] = [];
    const pictures = createAnswerPictures({
      load: async (href) => {
        loaded.push(href);
        return { data: TINY_PNG, mimeType: "image/png" };
      },
      upload: async () => "img_inline",
      logger,
    });
    const data = `data:image/png;base64,${TINY_PNG.toString("base64")}`;
    const short = pictures.shorten(`Here: ![dot](${data})`);
    expect(short).toBe("Here: ![dot](larkgate-inline:0)");
    expect(pictures.shorten(`Again ![dot](${data})`)).toBe("Again ![dot](larkgate-inline:0)");
    pictures.see(short);
    await pictures.settled();
    expect(loaded).toEqual([data]);
    expect(renderCardBody(short, { pictures: pictures.lookup })[1]).toMatchObject({
      tag: "img",
      img_key: "img_inline",
    });
  });
});
