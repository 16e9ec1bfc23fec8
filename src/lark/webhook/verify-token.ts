import { createHash, timingSafeEqual } from "node:crypto";

/** Digests of the configured tokens (one per bot): hashed once, not on every push. */
const expectedDigests = new Map<string, Buffer>();
const MAX_CACHED_TOKENS = 256;

/**
 * Compares a received token with the configured one in constant time. Both are hashed first so
 * that the comparison runs on equal-length buffers and the time taken does not reveal the
 * expected token's length.
 */
export function tokensEqual(received: string, expected: string): boolean {
  let expectedDigest = expectedDigests.get(expected);
  if (!expectedDigest) {
    // Tokens only change on reload; the bound keeps a stream of reloads from growing the map.
    if (expectedDigests.size >= MAX_CACHED_TOKENS) expectedDigests.clear();
    expectedDigest = sha256(expected);
    expectedDigests.set(expected, expectedDigest);
  }
  return timingSafeEqual(sha256(received), expectedDigest);
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}
