import { createHash, timingSafeEqual } from "node:crypto";

/** The bearer token of a request's `Authorization` header; empty when there is none. */
export function bearerToken(header: string | undefined): string {
  return header?.startsWith("Bearer ") ? header.slice(7) : "";
}

/** Compares tokens in constant time whatever their lengths (both are hashed first). */
export function sameToken(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}
