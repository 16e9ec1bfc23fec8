import type { Logger } from "pino";
import type { ImageInput } from "../backends/backend.js";
import type { BotRuntime } from "./bot-runtime.js";

/**
 * Images beyond this many in one message are not sent: each one costs the model as much as a
 * page of text, and a post with more is usually a gallery rather than a question about each.
 */
export const MAX_IMAGES_PER_MESSAGE = 8;

/**
 * Downloads a message's images for a model that reads them. One that Lark cannot serve (no
 * `im:resource` scope, recalled, too large) is left out and logged; the question is answered
 * with the rest.
 */
export async function loadImages(
  bot: BotRuntime,
  messageId: string,
  imageKeys: readonly string[],
  log: Logger,
): Promise<ImageInput[]> {
  if (imageKeys.length > MAX_IMAGES_PER_MESSAGE) {
    log.info(
      { images: imageKeys.length, sent: MAX_IMAGES_PER_MESSAGE },
      "more images than the model is sent; the first ones go",
    );
  }
  const wanted = imageKeys.slice(0, MAX_IMAGES_PER_MESSAGE);
  const results = await Promise.allSettled(wanted.map((key) => bot.downloadImage(messageId, key)));
  const images: ImageInput[] = [];
  for (const result of results) {
    if (result.status === "fulfilled") {
      images.push(result.value);
      continue;
    }
    const error = result.reason;
    log.warn(
      { err: { message: error instanceof Error ? error.message : String(error) } },
      "image not readable; answering without it",
    );
  }
  return images;
}
