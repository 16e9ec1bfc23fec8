import { createHash, timingSafeEqual } from "node:crypto";
import { secretDigest } from "./secret-digest.js";

/**
 * Compares a received token with the configured one in constant time. Both are hashed first so
 * that the comparison runs on equal-length buffers and the time taken does not reveal the
 * expected token's length.
 */
export function tokensEqual(received: string, expected: string): boolean {
  const receivedDigest = createHash("sha256").update(received, "utf8").digest();
  return timingSafeEqual(receivedDigest, secretDigest(expected));
}
