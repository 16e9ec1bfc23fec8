import { Readable } from "node:stream";
import type * as lark from "@larksuiteoapi/node-sdk";
import { LarkApiError, toLarkError } from "./lark-api-error.js";

/** A downloaded resource: its bytes and the type Lark gave them. */
export interface DownloadedImage {
  data: Buffer;
  mimeType: string;
}

/**
 * An image of a message the bot received (`GET /im/v1/messages/:id/resources/:key`, scope
 * `im:resource`), refused above `maxBytes` and given up after `timeoutMs`. Not retried: the
 * answer goes on without it.
 */
export function downloadImage(
  client: lark.Client,
  picture: { messageId: string; imageKey: string; maxBytes: number },
  timeoutMs = 30_000,
): Promise<DownloadedImage> {
  const { messageId, imageKey, maxBytes } = picture;
  return readDownload(
    "download image",
    () =>
      client.im.v1.messageResource.get({
        path: { message_id: messageId, file_key: imageKey },
        params: { type: "image" },
      }),
    { maxBytes, timeoutMs, accept: IMAGES },
  );
}

/**
 * A file of a message the bot received: a voice message's audio, a file, a video (the same
 * resources API with `type=file`, scope `im:resource`), refused above `maxBytes` and given up
 * after `timeoutMs`. Whatever type Lark says it is; the caller reads the bytes.
 */
export function downloadMessageFile(
  client: lark.Client,
  file: { messageId: string; fileKey: string; maxBytes: number },
  timeoutMs = 30_000,
): Promise<DownloadedImage> {
  const { messageId, fileKey, maxBytes } = file;
  return readDownload(
    "download file",
    () =>
      client.im.v1.messageResource.get({
        path: { message_id: messageId, file_key: fileKey },
        params: { type: "file" },
      }),
    { maxBytes, timeoutMs, accept: ANY },
  );
}

/**
 * An image this app uploaded (`GET /im/v1/images/:image_key`, scope `im:resource`): Lark serves
 * back only the app's own message images, such as the pictures it created.
 */
export function downloadOwnImage(
  client: lark.Client,
  imageKey: string,
  maxBytes: number,
  timeoutMs = 30_000,
): Promise<DownloadedImage> {
  return readDownload(
    "download own image",
    () => client.im.v1.image.get({ path: { image_key: imageKey } }),
    { maxBytes, timeoutMs, accept: IMAGES },
  );
}

/** Which types a download may be; `what` names the rest in the error. */
interface Accept {
  test(mimeType: string): boolean;
  what: string;
}
const IMAGES: Accept = { test: (type) => type.startsWith("image/"), what: "an image" };
const ANY: Accept = { test: () => true, what: "a file" };

interface SdkDownload {
  getReadableStream(): Readable;
  headers: unknown;
}

async function readDownload(
  operation: string,
  start: () => Promise<SdkDownload>,
  limits: { maxBytes: number; timeoutMs: number; accept: Accept },
): Promise<DownloadedImage> {
  const { maxBytes, timeoutMs, accept } = limits;
  // The SDK's download has no timeout of its own (a bare axios instance): without this a
  // stalled download would hold the job, and its conversation, until a restart.
  let timer: NodeJS.Timeout | undefined;
  let gaveUp = false;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      gaveUp = true;
      reject(new LarkApiError(operation, { msg: `not downloaded within ${timeoutMs / 1000} s` }));
    }, timeoutMs);
  });
  const request = start();
  // Whatever arrives after the deadline is dropped, not left open.
  request.then(
    (late) => gaveUp && late.getReadableStream().destroy(),
    () => {},
  );
  try {
    let response: SdkDownload;
    try {
      response = await Promise.race([request, deadline]);
    } catch (cause) {
      throw toLarkError(operation, await withReadBody(cause));
    }
    const headers = (response.headers ?? {}) as Record<string, unknown>;
    const mimeType = String(headers["content-type"] ?? "")
      .split(";")[0]!
      .trim()
      .toLowerCase();
    const stream = response.getReadableStream();
    if (!accept.test(mimeType)) {
      stream.destroy();
      throw new LarkApiError(operation, { msg: `Lark served "${mimeType}", not ${accept.what}` });
    }
    const body = readAtMost(stream, maxBytes, operation);
    // After a timeout the stream is destroyed and the read fails: that failure is expected.
    body.catch(() => {});
    deadline.catch(() => stream.destroy());
    return { data: await Promise.race([body, deadline]), mimeType };
  } finally {
    clearTimeout(timer);
  }
}

/** Reads a download to the end, or fails as soon as it passes `maxBytes`. */
async function readAtMost(stream: Readable, maxBytes: number, operation: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      stream.destroy();
      throw new LarkApiError(operation, {
        msg: `larger than the ${(maxBytes / 1024 / 1024).toFixed(1)} MB it may take`,
      });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * A failed download's answer is a stream (the SDK asks for one); Lark's error JSON is read from
 * it so the error carries Lark's code, as every other call's does.
 */
async function withReadBody(cause: unknown): Promise<unknown> {
  const response = (cause as { response?: { data?: unknown } } | undefined)?.response;
  if (!(response?.data instanceof Readable)) return cause;
  try {
    const text = (await readAtMost(response.data, 64 * 1024, "error body")).toString("utf8");
    response.data = JSON.parse(text);
  } catch {
    response.data = {};
  }
  return cause;
}
