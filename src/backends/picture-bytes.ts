import { imageType } from "../net/image-type.js";
import { BackendError } from "./backend.js";

/** A picture larger than this is not one a chat should carry (Lark's own limit is 10 MB). */
export const MAX_PICTURE_BYTES = 10 * 1024 * 1024;

/** The image type by its first bytes (see net/image-type.ts). */
export const pictureType = imageType;

/**
 * A picture an images API answered with a link: fetched at once (such links expire within
 * the hour), refused above `MAX_PICTURE_BYTES` or when the bytes are not an image. The link
 * comes from the provider the operator configured, so it is trusted as the API itself is.
 */
export async function fetchPicture(
  url: string,
  signal: AbortSignal,
  fetchImpl: typeof fetch = fetch,
): Promise<{ data: Buffer; mimeType: string }> {
  let response: Response;
  try {
    response = await fetchImpl(url, { signal });
  } catch (error) {
    throw new BackendError("connection", "the picture's link could not be fetched", {
      cause: error,
    });
  }
  if (!response.ok) {
    throw new BackendError("connection", `the picture's link answered HTTP ${response.status}`, {
      status: response.status,
    });
  }
  const declared = Number(response.headers.get("content-length") ?? 0);
  if (declared > MAX_PICTURE_BYTES) {
    await response.body?.cancel();
    throw new BackendError("too_large", "the picture is larger than 10 MB");
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += chunk.length;
    if (size > MAX_PICTURE_BYTES)
      throw new BackendError("too_large", "the picture is larger than 10 MB");
    chunks.push(Buffer.from(chunk));
  }
  return readPicture(Buffer.concat(chunks));
}

/** Bytes an images API sent, checked to be an image. */
export function readPicture(data: Buffer): { data: Buffer; mimeType: string } {
  const mimeType = pictureType(data);
  if (!mimeType) throw new BackendError("empty_answer", "the images API did not return an image");
  return { data, mimeType };
}
