import { createHash, timingSafeEqual } from "node:crypto";
import { WebhookError } from "./webhook-error.js";

/** The three `X-Lark-Request-*` headers, as received (undefined when absent). */
export interface SignatureHeaders {
  timestamp: string | undefined;
  nonce: string | undefined;
  signature: string | undefined;
}

export interface SignatureCheck extends SignatureHeaders {
  /** The exact request body bytes: a re-serialized body would not match what Lark signed. */
  rawBody: Buffer;
  /** Clock in epoch milliseconds; injectable for tests. Defaults to `Date.now()`. */
  now?: number;
  /** Accepted clock skew either way, in seconds. */
  toleranceSec?: number;
}

// Lark re-pushes an unacknowledged event after 15 s, 5 min, 1 h and 6 h, and does not document
// whether it re-signs; a 5-minute window could refuse the re-push that recovers a message lost
// while we were down. 8 hours covers the whole schedule, and a replay inside it is harmless:
// durable dedup keeps event and message ids for 24 hours (intake DEDUP_RETENTION_MS).
export const DEFAULT_TOLERANCE_SEC = 8 * 60 * 60;
const SECONDS = /^\d{1,15}$/;

/**
 * Verifies `X-Lark-Signature` = hex(SHA-256(timestamp + nonce + encryptKey + rawBody))
 * (docs/lark-notes.md#signature). Throws a WebhookError (401) when headers are missing, the timestamp is
 * outside the window, or the signature does not match.
 *
 * @example verifyLarkSignature({ rawBody, timestamp, nonce, signature, encryptKey: "test key" })
 */
export function verifyLarkSignature(input: SignatureCheck & { encryptKey: string }): void {
  verify(input, "sha256", input.encryptKey, "the Encrypt Key");
}

/**
 * Verifies the legacy message-card callback signature,
 * hex(SHA-1(timestamp + nonce + verificationToken + rawBody)) (docs/lark-notes.md#legacy-card-callback).
 */
export function verifyLegacyCardSignature(
  input: SignatureCheck & { verificationToken: string },
): void {
  verify(input, "sha1", input.verificationToken, "the Verification Token");
}

function verify(
  input: SignatureCheck,
  algorithm: "sha256" | "sha1",
  secret: string,
  secretName: string,
): void {
  const { timestamp, nonce, signature } = input;
  if (!timestamp || !nonce || !signature) {
    throw new WebhookError(
      "missing_signature",
      "X-Lark-Request-Timestamp, X-Lark-Request-Nonce and X-Lark-Signature are all required",
    );
  }
  if (!SECONDS.test(timestamp)) {
    throw new WebhookError("stale", "X-Lark-Request-Timestamp is not a Unix time in seconds");
  }
  const toleranceSec = input.toleranceSec ?? DEFAULT_TOLERANCE_SEC;
  const nowSec = (input.now ?? Date.now()) / 1000;
  if (Math.abs(nowSec - Number(timestamp)) > toleranceSec) {
    throw new WebhookError(
      "stale",
      `X-Lark-Request-Timestamp is more than ${toleranceSec}s away from this server's clock (replayed request, or a clock out of sync)`,
    );
  }
  const expected = Buffer.from(
    createHash(algorithm)
      .update(timestamp + nonce + secret, "utf8")
      .update(input.rawBody)
      .digest("hex"),
    "utf8",
  );
  const received = Buffer.from(signature.toLowerCase(), "utf8");
  // A digest's length is public, so failing fast on a length mismatch leaks nothing.
  if (received.length !== expected.length || !timingSafeEqual(received, expected)) {
    throw new WebhookError(
      "bad_signature",
      `X-Lark-Signature does not match the body (check ${secretName} against the developer console)`,
    );
  }
}
