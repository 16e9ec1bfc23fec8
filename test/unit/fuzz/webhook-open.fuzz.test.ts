import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { openWebhook } from "../../../src/lark/webhook/open-webhook.js";
import { WebhookError } from "../../../src/lark/webhook/webhook-error.js";
import { encryptForTest, signForTest } from "../webhook/lark-crypto-for-tests.js";

const KEY = "fuzz-encrypt-key";
const TOKEN = "fuzz-token";
const NOW = 1_700_000_000_000;

const header = fc.option(fc.string({ maxLength: 80 }), { nil: undefined });

/** A push Lark would send: an event with this text, encrypted and signed over its bytes. */
function realPush(eventId: string, text: string) {
  const event = {
    schema: "2.0",
    header: {
      event_id: eventId,
      event_type: "im.message.receive_v1",
      create_time: String(NOW),
      token: TOKEN,
      app_id: "cli_x",
      tenant_key: "tenant",
    },
    event: { message: { message_id: "om_1", content: JSON.stringify({ text }) } },
  };
  const rawBody = Buffer.from(
    JSON.stringify({ encrypt: encryptForTest(KEY, JSON.stringify(event)) }),
  );
  return { rawBody, headers: signForTest(KEY, rawBody, { timestampSec: NOW / 1000 }) };
}

const open = (rawBody: Buffer, headers: Record<string, string | undefined>) =>
  openWebhook({
    rawBody,
    headers,
    encryptKey: KEY,
    verificationToken: TOKEN,
    kind: "event",
    now: NOW,
  });

/** Property-based: what any bytes and headers do to the webhook's verification. */
describe("opening webhook pushes, fuzzed", () => {
  it("answers anything with an envelope or a WebhookError with a 4xx, never another throw", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)),
          fc.json().map((j) => Buffer.from(j)),
          fc.string().map((s) => Buffer.from(JSON.stringify({ encrypt: s }))),
        ),
        fc.record({
          "x-lark-signature": header,
          "x-lark-request-timestamp": header,
          "x-lark-request-nonce": header,
          "content-type": header,
        }),
        (rawBody, headers) => {
          try {
            open(rawBody, headers);
          } catch (error) {
            expect(error).toBeInstanceOf(WebhookError);
            expect([400, 401]).toContain((error as WebhookError).status);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it("opens every real push, and refuses it once any byte is changed", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.string({ maxLength: 400 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (eventId, text, at, flip) => {
          const push = realPush(eventId, text);
          const opened = open(push.rawBody, push.headers);
          expect(opened.type).toBe("event");
          const forged = Buffer.from(push.rawBody);
          const index = at % forged.length;
          forged[index] = forged[index]! ^ flip;
          expect(() => open(forged, push.headers)).toThrow(WebhookError);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("refuses a signed push whose timestamp or nonce was changed", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 100 }),
        fc.string({ minLength: 1, maxLength: 12 }),
        (text, nonce) => {
          const push = realPush("ev_1", text);
          const renonced = {
            ...push.headers,
            "x-lark-request-nonce": `${push.headers["x-lark-request-nonce"]}${nonce}`,
          };
          expect(() => open(push.rawBody, renonced)).toThrow(WebhookError);
        },
      ),
      { numRuns: 100 },
    );
  });
});
