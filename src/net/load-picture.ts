import { FetchRefused } from "./fetch-refused.js";
import { type GuardedFetchOptions, guardedFetch } from "./guarded-fetch.js";
import { imageType } from "./image-type.js";

export interface Picture {
  data: Buffer;
  /** By the bytes, never by the server's word or the link's extension. */
  mimeType: string;
}

const DATA_URL = /^data:([^;,]*)((?:;[^;,]*)*?);base64,([\s\S]*)$/i;

/**
 * The picture a link in an answer points to: a `data:` URL (a model's base64 image) decoded on
 * the spot, an http(s) link fetched through the guard. Either way only real image bytes come
 * back (PNG, JPEG, GIF, WebP, as Lark takes them); anything else is refused with a reason.
 */
export async function loadPicture(
  href: string,
  options: GuardedFetchOptions,
  signal?: AbortSignal,
): Promise<Picture> {
  let data: Buffer;
  if (/^data:/i.test(href)) {
    const match = DATA_URL.exec(href.trim());
    if (!match) throw new FetchRefused("bad_data_url", "a data URL that is not base64");
    // base64 is 4 characters for 3 bytes: refuse before decoding what could not fit anyway.
    if ((match[3]!.length * 3) / 4 > options.maxBytes + 3) {
      throw new FetchRefused("too_large", "a data URL over the size limit");
    }
    data = Buffer.from(match[3]!.replace(/\s+/g, ""), "base64");
  } else {
    data = (await guardedFetch(href, options, signal)).data;
  }
  const mimeType = imageType(data);
  if (!mimeType)
    throw new FetchRefused("not_image", "the link is not a PNG, JPEG, GIF or WebP image");
  return { data, mimeType };
}
