import type { Logger } from "pino";
import type { Backend, ImageInput } from "../backends/backend.js";
import type { BotRuntime } from "./bot-runtime.js";

/**
 * Images beyond this many in one question are not sent: each one costs the model as much as a
 * page of text, and a post with more is usually a gallery rather than a question about each.
 */
export const MAX_IMAGES_PER_MESSAGE = 8;

/**
 * Bytes of pictures per question. Lark takes images up to 10 MB each, and every byte is held
 * three times while the request is built (download, base64, JSON body), per running answer.
 */
export const MAX_IMAGE_BYTES_PER_MESSAGE = 20 * 1024 * 1024;

/** An image and the message it is in (Lark serves a picture only with its message's id). */
export interface ImageSource {
  messageId: string;
  imageKey: string;
}

/** The image sources of one message. */
export function imagesIn(messageId: string, imageKeys: readonly string[]): ImageSource[] {
  return imageKeys.map((imageKey) => ({ messageId, imageKey }));
}

/**
 * Downloads a question's images for a model that reads them, one after another so that the
 * byte budget holds. One that Lark cannot serve (no `im:resource` scope, recalled, over the
 * budget) is left out and logged; the question is answered with the rest.
 */
export async function loadImages(
  bot: BotRuntime,
  sources: readonly ImageSource[],
  log: Logger,
): Promise<ImageInput[]> {
  if (sources.length > MAX_IMAGES_PER_MESSAGE) {
    log.info(
      { images: sources.length, sent: MAX_IMAGES_PER_MESSAGE },
      "more images than the model is sent; the first ones go",
    );
  }
  const images: ImageInput[] = [];
  let budget = MAX_IMAGE_BYTES_PER_MESSAGE;
  for (const { messageId, imageKey } of sources.slice(0, MAX_IMAGES_PER_MESSAGE)) {
    if (budget <= 0) {
      log.warn(
        { left: sources.length - images.length },
        "image budget spent; answering without the rest",
      );
      break;
    }
    try {
      const image = await bot.downloadImage(messageId, imageKey, budget);
      images.push(image);
      budget -= image.data.length;
    } catch (error) {
      log.warn(
        { err: { message: error instanceof Error ? error.message : String(error) } },
        "image not readable; answering without it",
      );
    }
  }
  return images;
}

/** A question's pictures in the form its backend takes them. */
export interface Pictures {
  images: ImageInput[];
  imageUrls: string[];
}

/**
 * The pictures for a backend: downloaded for one that takes them inline, signed links for one
 * that fetches them (FastGPT, Dify), none when links cannot be made (no public URL).
 */
export async function picturesFor(
  bot: BotRuntime,
  backend: Backend,
  sources: readonly ImageSource[],
  log: Logger,
): Promise<Pictures> {
  if (sources.length === 0) return { images: [], imageUrls: [] };
  if (backend.pictures === "inline") {
    return { images: await loadImages(bot, sources, log), imageUrls: [] };
  }
  const imageUrls: string[] = [];
  for (const { messageId, imageKey } of sources.slice(0, MAX_IMAGES_PER_MESSAGE)) {
    const url = bot.imageLink(messageId, imageKey);
    if (url) imageUrls.push(url);
  }
  return { images: [], imageUrls };
}

/** The fields a turn takes, only those that are set. */
export function picturesInput(pictures: Pictures): { images?: ImageInput[]; imageUrls?: string[] } {
  return {
    ...(pictures.images.length > 0 ? { images: pictures.images } : {}),
    ...(pictures.imageUrls.length > 0 ? { imageUrls: pictures.imageUrls } : {}),
  };
}
