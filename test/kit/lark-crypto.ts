import { createCipheriv, createHash, randomBytes } from "node:crypto";

/**
 * The pushing side of Lark's event encryption, written independently of the gateway's
 * decryptor so that a shared misunderstanding cannot make both agree on a wrong format.
 * Algorithm (docs/lark-notes.md#encryption): AES-256-CBC, key = SHA-256(utf8 key), PKCS#7,
 * base64(IV ‖ ciphertext).
 */
export function encryptLarkPayload(encryptKey: string, plaintext: string, iv?: Buffer): string {
  const key = createHash("sha256").update(encryptKey, "utf8").digest();
  const initVector = iv ?? randomBytes(16);
  if (initVector.length !== 16) throw new Error("encryptLarkPayload: iv must be 16 bytes");
  // Node's cipher applies PKCS#7 padding by default (setAutoPadding(true)).
  const cipher = createCipheriv("aes-256-cbc", key, initVector);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return Buffer.concat([initVector, body]).toString("base64");
}

/** `X-Lark-Signature`: lowercase hex SHA-256 of timestamp + nonce + encryptKey + raw body. */
export function signLarkRequest(
  timestamp: string,
  nonce: string,
  encryptKey: string,
  rawBody: string,
): string {
  return createHash("sha256")
    .update(timestamp + nonce + encryptKey + rawBody, "utf8")
    .digest("hex");
}

/** Legacy message-card callback signature: hex SHA-1 over timestamp + nonce + token + body. */
export function signLegacyCard(
  timestamp: string,
  nonce: string,
  verificationToken: string,
  rawBody: string,
): string {
  return createHash("sha1")
    .update(timestamp + nonce + verificationToken + rawBody, "utf8")
    .digest("hex");
}
