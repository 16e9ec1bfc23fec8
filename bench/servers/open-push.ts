import { createDecipheriv, createHash, timingSafeEqual } from "node:crypto";
import type http from "node:http";

/** A verified, decrypted push: its message id and the decrypted event JSON. */
export interface OpenedPush {
  id: string;
  body: string;
}

/**
 * The least any webhook that trusts a Lark push must do, shared by the `verified` and
 * `durable` baselines: check the signature over the raw bytes, AES-decrypt the body, and parse
 * both JSON layers. No token check, schema check or routing. Throws on a bad signature.
 */
export function pushOpener(encryptKey: string) {
  const aesKey = createHash("sha256").update(encryptKey).digest();
  return (raw: Buffer, headers: http.IncomingHttpHeaders): OpenedPush => {
    const expected = createHash("sha256")
      .update(
        `${headers["x-lark-request-timestamp"]}${headers["x-lark-request-nonce"]}${encryptKey}`,
      )
      .update(raw)
      .digest();
    const received = Buffer.from(String(headers["x-lark-signature"]), "hex");
    if (received.length !== expected.length || !timingSafeEqual(received, expected)) {
      throw new Error("bad signature");
    }
    const data = Buffer.from((JSON.parse(raw.toString()) as { encrypt: string }).encrypt, "base64");
    const decipher = createDecipheriv("aes-256-cbc", aesKey, data.subarray(0, 16));
    const body = Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]).toString();
    const event = JSON.parse(body) as { event: { message: { message_id: string } } };
    return { id: event.event.message.message_id, body };
  };
}

/** Reads a request's whole body, then calls `done` with it. */
export function readBody(req: http.IncomingMessage, done: (raw: Buffer) => void): void {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => done(Buffer.concat(chunks)));
}
