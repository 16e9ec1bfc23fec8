import { createHmac, timingSafeEqual } from "node:crypto";

/** How long a link works: FastGPT and Dify fetch a picture while they answer the question. */
export const IMAGE_LINK_TTL_MS = 30 * 60 * 1000;

/** A picture in a message a bot received. */
export interface ImageLinkTarget {
  botId: string;
  messageId: string;
  imageKey: string;
}

/**
 * Links are signed with a key derived from the bot's App Secret: every replica can check a
 * link another one made, and nobody without the secret can make one (which would turn the
 * route into a way to read any picture the bot can see).
 */
function signatureOf(appSecret: string, target: ImageLinkTarget, expires: number): Buffer {
  return sign(appSecret, "larkgate image link v1", [
    target.botId,
    target.messageId,
    target.imageKey,
    String(expires),
  ]);
}

/**
 * The HMAC of one link's fields under a key for its kind of link, so that a picture link's
 * signature never opens a file link (nor the other way round).
 */
function sign(appSecret: string, kind: string, fields: readonly string[]): Buffer {
  const key = createHmac("sha256", appSecret).update(kind).digest();
  return createHmac("sha256", key).update(fields.join("\n")).digest();
}

/** A file in a message a bot received, and the name it is served under. */
export interface FileLinkTarget {
  botId: string;
  messageId: string;
  fileKey: string;
  name: string;
}

function fileSignatureOf(appSecret: string, target: FileLinkTarget, expires: number): Buffer {
  return sign(appSecret, "larkgate file link v1", [
    target.botId,
    target.messageId,
    target.fileKey,
    target.name,
    String(expires),
  ]);
}

/**
 * A link under `publicUrl` that serves one file of a received message for a while, ending in
 * the file's name (FastGPT and Dify tell a document's type by it), for FastGPT `file_url`
 * parts and Dify `remote_url` documents. Same key, lifetime and checks as picture links.
 *
 * @example signFileLink("https://bot.example.com", secret, { botId: "kb", messageId: "om_1", fileKey: "file_v3_1", name: "report.pdf" })
 * // → https://bot.example.com/files/kb/om_1/file_v3_1/report.pdf?expires=…&signature=…
 */
export function signFileLink(
  publicUrl: string,
  appSecret: string,
  target: FileLinkTarget,
  now = Date.now(),
): string {
  const expires = Math.floor((now + IMAGE_LINK_TTL_MS) / 1000);
  const path = [target.botId, target.messageId, target.fileKey, target.name]
    .map(encodeURIComponent)
    .join("/");
  const signature = fileSignatureOf(appSecret, target, expires).toString("base64url");
  return `${publicUrl}/files/${path}?expires=${expires}&signature=${signature}`;
}

/** Checks a file link's query against its path, timing-safe. */
export function verifyFileLink(
  appSecret: string,
  target: FileLinkTarget,
  query: { expires?: string; signature?: string },
  now = Date.now(),
): "ok" | "expired" | "bad_signature" {
  return verdict(query, now, (expires) => fileSignatureOf(appSecret, target, expires));
}

function verdict(
  query: { expires?: string; signature?: string },
  now: number,
  expectedFor: (expires: number) => Buffer,
): "ok" | "expired" | "bad_signature" {
  const expires = Number(query.expires);
  if (!Number.isSafeInteger(expires) || typeof query.signature !== "string") {
    return "bad_signature";
  }
  const expected = expectedFor(expires);
  const given = Buffer.from(query.signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return "bad_signature";
  }
  return expires * 1000 < now ? "expired" : "ok";
}

/**
 * A link under `publicUrl` that serves one picture of a received message for a while, for
 * backends that take pictures as URLs (FastGPT `image_url`, Dify `remote_url` files).
 *
 * @example signImageLink("https://bot.example.com", secret, { botId: "kb", messageId: "om_1", imageKey: "img_v3_1" })
 * // → https://bot.example.com/files/kb/om_1/img_v3_1?expires=1763740800&signature=…
 */
export function signImageLink(
  publicUrl: string,
  appSecret: string,
  target: ImageLinkTarget,
  now = Date.now(),
): string {
  const expires = Math.floor((now + IMAGE_LINK_TTL_MS) / 1000);
  const path = [target.botId, target.messageId, target.imageKey].map(encodeURIComponent).join("/");
  const signature = signatureOf(appSecret, target, expires).toString("base64url");
  return `${publicUrl}/files/${path}?expires=${expires}&signature=${signature}`;
}

/** Checks a link's query against its path, timing-safe. */
export function verifyImageLink(
  appSecret: string,
  target: ImageLinkTarget,
  query: { expires?: string; signature?: string },
  now = Date.now(),
): "ok" | "expired" | "bad_signature" {
  return verdict(query, now, (expires) => signatureOf(appSecret, target, expires));
}
