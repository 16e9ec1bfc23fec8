import { createDecipheriv } from "node:crypto";
import { secretDigest } from "./secret-digest.js";
import { WebhookError } from "./webhook-error.js";

const BLOCK = 16;
const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Decrypts the `encrypt` field of a Lark push (docs/lark-notes.md#encryption): AES-256-CBC with
 * key = SHA-256(encryptKey), IV = the first 16 bytes, strict PKCS#7 padding.
 *
 * @example decryptLarkPayload("test key", "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=") // "hello world"
 * @throws WebhookError("undecryptable") for anything that is not a valid ciphertext under this key.
 */
export function decryptLarkPayload(encryptKey: string, encrypted: string): string {
  const data = Buffer.from(encrypted, "base64");
  // Buffer.from silently skips what is not base64, which would turn garbage into a confusing
  // padding error; a canonical round trip proves the field was standard padded base64. (A
  // regex said the same at a third of the webhook's decryption cost.)
  if (data.toString("base64") !== encrypted) {
    throw new WebhookError("undecryptable", "the encrypt field is not standard padded base64");
  }
  if (data.length < 2 * BLOCK || data.length % BLOCK !== 0) {
    throw new WebhookError(
      "undecryptable",
      "the encrypt field has the wrong length for an IV followed by AES-CBC blocks",
    );
  }
  const key = secretDigest(encryptKey);
  let plain: Buffer;
  try {
    const decipher = createDecipheriv("aes-256-cbc", key, data.subarray(0, BLOCK));
    plain = Buffer.concat([decipher.update(data.subarray(BLOCK)), decipher.final()]);
  } catch (cause) {
    throw new WebhookError(
      "undecryptable",
      "the body does not decrypt with the configured Encrypt Key (check that it matches the developer console)",
      { cause },
    );
  }
  try {
    return utf8.decode(plain);
  } catch (cause) {
    throw new WebhookError(
      "undecryptable",
      "the decrypted body is not UTF-8 (check that the Encrypt Key matches the developer console)",
      { cause },
    );
  }
}
