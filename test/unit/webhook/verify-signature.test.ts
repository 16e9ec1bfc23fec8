import { describe, expect, it } from "vitest";
import {
  DEFAULT_TOLERANCE_SEC,
  verifyLarkSignature,
  verifyLegacyCardSignature,
} from "../../../src/lark/webhook/verify-signature.js";
import { WebhookError } from "../../../src/lark/webhook/webhook-error.js";

// Signature and legacy card vectors (docs/lark-notes.md#signature).
const BODY = Buffer.from('{"encrypt":"P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk="}');
const SIGNATURE = "69c61fa99760d59824d588297c0036194769fb54331682c9cbcd93e85b9a8aad";
const CARD_BODY = Buffer.from(
  '{"open_id":"ou_x","open_message_id":"om_x","tenant_key":"t","token":"c-x","action":{"value":{"k":"v"},"tag":"button"}}',
);
const CARD_SIGNATURE = "89fd2201f82bc445d108f3a10a6e1c712df1a83b";
const AT_TIMESTAMP = 1_700_000_000_000;

const signed = {
  rawBody: BODY,
  timestamp: "1700000000",
  nonce: "abc123",
  signature: SIGNATURE,
  encryptKey: "test key",
  now: AT_TIMESTAMP,
};

function failure(run: () => void): WebhookError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookError);
    return error as WebhookError;
  }
  throw new Error("expected verification to fail");
}

describe("verifyLarkSignature", () => {
  it("accepts the documented vector", () => {
    expect(() => verifyLarkSignature(signed)).not.toThrow();
  });

  it("accepts an upper-case hex signature", () => {
    expect(() =>
      verifyLarkSignature({ ...signed, signature: SIGNATURE.toUpperCase() }),
    ).not.toThrow();
  });

  it("checks the raw bytes, not a re-serialization of the same JSON", () => {
    const spaced = Buffer.from('{ "encrypt": "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=" }');
    expect(JSON.parse(spaced.toString())).toEqual(JSON.parse(BODY.toString()));
    const error = failure(() => verifyLarkSignature({ ...signed, rawBody: spaced }));
    expect(error.code).toBe("bad_signature");
    expect(error.status).toBe(401);
  });

  it("rejects a tampered body, nonce, key or truncated signature", () => {
    const tampered = Buffer.from(BODY.toString().replace("P37w", "P37x"));
    expect(failure(() => verifyLarkSignature({ ...signed, rawBody: tampered })).code).toBe(
      "bad_signature",
    );
    expect(failure(() => verifyLarkSignature({ ...signed, nonce: "abc124" })).code).toBe(
      "bad_signature",
    );
    expect(failure(() => verifyLarkSignature({ ...signed, encryptKey: "other" })).code).toBe(
      "bad_signature",
    );
    expect(
      failure(() => verifyLarkSignature({ ...signed, signature: SIGNATURE.slice(0, 63) })).code,
    ).toBe("bad_signature");
  });

  it("rejects timestamps outside the window, in the past or the future", () => {
    const window = DEFAULT_TOLERANCE_SEC * 1000;
    const late = AT_TIMESTAMP + window + 1000;
    const early = AT_TIMESTAMP - window - 1000;
    expect(failure(() => verifyLarkSignature({ ...signed, now: late })).code).toBe("stale");
    expect(failure(() => verifyLarkSignature({ ...signed, now: early })).code).toBe("stale");
    expect(() =>
      verifyLarkSignature({ ...signed, now: AT_TIMESTAMP + window - 1000 }),
    ).not.toThrow();
    // Lark's last re-push comes about 7.1 h after the first: it must still verify.
    expect(() =>
      verifyLarkSignature({ ...signed, now: AT_TIMESTAMP + 7.2 * 3_600_000 }),
    ).not.toThrow();
    expect(() =>
      verifyLarkSignature({ ...signed, now: AT_TIMESTAMP + 301_000, toleranceSec: 300 }),
    ).toThrow();
    expect(() =>
      verifyLarkSignature({ ...signed, now: AT_TIMESTAMP + 600_000, toleranceSec: 601 }),
    ).not.toThrow();
  });

  it("rejects a non-numeric timestamp", () => {
    expect(failure(() => verifyLarkSignature({ ...signed, timestamp: "1700000000.5" })).code).toBe(
      "stale",
    );
  });

  it("requires all three headers", () => {
    for (const missing of ["timestamp", "nonce", "signature"] as const) {
      const error = failure(() => verifyLarkSignature({ ...signed, [missing]: undefined }));
      expect(error.code).toBe("missing_signature");
      expect(error.status).toBe(401);
    }
  });
});

describe("verifyLegacyCardSignature", () => {
  const card = {
    rawBody: CARD_BODY,
    timestamp: "1700000000",
    nonce: "abc123",
    signature: CARD_SIGNATURE,
    verificationToken: "vtoken123",
    now: AT_TIMESTAMP,
  };

  it("accepts the SHA-1 vector", () => {
    expect(() => verifyLegacyCardSignature(card)).not.toThrow();
  });

  it("rejects a wrong verification token, a tampered body and a stale timestamp", () => {
    expect(failure(() => verifyLegacyCardSignature({ ...card, verificationToken: "x" })).code).toBe(
      "bad_signature",
    );
    const tampered = Buffer.from(CARD_BODY.toString().replace('"k"', '"K"'));
    expect(failure(() => verifyLegacyCardSignature({ ...card, rawBody: tampered })).code).toBe(
      "bad_signature",
    );
    expect(
      failure(() => verifyLegacyCardSignature({ ...card, now: AT_TIMESTAMP + 9 * 3_600_000 })).code,
    ).toBe("stale");
  });
});
