import { createHash } from "node:crypto";

/** One entry per bot secret; the bound keeps a long run of reloads from growing the map. */
const digests = new Map<string, Buffer>();
const MAX_CACHED = 256;

/**
 * SHA-256 of a configured secret (an Encrypt Key, a Verification Token), computed once: the
 * secrets only change on reload, and hashing them again on every push was measurable in the
 * intake benchmark.
 */
export function secretDigest(secret: string): Buffer {
  let digest = digests.get(secret);
  if (!digest) {
    if (digests.size >= MAX_CACHED) digests.clear();
    digest = createHash("sha256").update(secret, "utf8").digest();
    digests.set(secret, digest);
  }
  return digest;
}
