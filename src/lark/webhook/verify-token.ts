import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Compares two secrets in constant time. Both are hashed first so that the comparison runs on
 * equal-length buffers and the time taken does not reveal the expected token's length.
 */
export function tokensEqual(a: string, b: string): boolean {
  const digestA = createHash("sha256").update(a, "utf8").digest();
  const digestB = createHash("sha256").update(b, "utf8").digest();
  return timingSafeEqual(digestA, digestB);
}
