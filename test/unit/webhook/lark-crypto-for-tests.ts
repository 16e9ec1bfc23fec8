import { createCipheriv, createHash, randomBytes } from "node:crypto";

/** Encrypts like the Lark platform: AES-256-CBC, key = SHA-256(encryptKey), base64(IV ‖ data). */
export function encryptForTest(
  encryptKey: string,
  plaintext: string,
  iv = randomBytes(16),
): string {
  const key = createHash("sha256").update(encryptKey).digest();
  const cipher = createCipheriv("aes-256-cbc", key, iv);
  return Buffer.concat([iv, cipher.update(plaintext, "utf8"), cipher.final()]).toString("base64");
}

/** Encrypts an already padded plaintext as is, to produce deliberately bad padding. */
export function encryptUnpaddedForTest(encryptKey: string, padded: Buffer): string {
  const key = createHash("sha256").update(encryptKey).digest();
  const iv = Buffer.alloc(16, 7);
  const cipher = createCipheriv("aes-256-cbc", key, iv);
  cipher.setAutoPadding(false);
  return Buffer.concat([iv, cipher.update(padded), cipher.final()]).toString("base64");
}

export interface SignedHeaders {
  [name: string]: string;
  "x-lark-request-timestamp": string;
  "x-lark-request-nonce": string;
  "x-lark-signature": string;
}

/** Signs like the Lark platform: sha256 (events) or sha1 (legacy cards) over the raw bytes. */
export function signForTest(
  secret: string,
  rawBody: Buffer | string,
  options: { timestampSec: number; nonce?: string; algorithm?: "sha256" | "sha1" },
): SignedHeaders {
  const timestamp = String(options.timestampSec);
  const nonce = options.nonce ?? "nonce-1";
  const signature = createHash(options.algorithm ?? "sha256")
    .update(timestamp + nonce + secret)
    .update(rawBody)
    .digest("hex");
  return {
    "x-lark-request-timestamp": timestamp,
    "x-lark-request-nonce": nonce,
    "x-lark-signature": signature,
  };
}
