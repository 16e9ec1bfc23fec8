import { describe, expect, it } from "vitest";
import { decryptLarkPayload } from "../../../src/lark/webhook/aes-cipher.js";
import { WebhookError } from "../../../src/lark/webhook/webhook-error.js";
import { encryptForTest, encryptUnpaddedForTest } from "./lark-crypto-for-tests.js";

// Official doc vector (docs/lark-notes.md#encryption).
const DOC_CIPHERTEXT = "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=";
// node-sdk unit-test vector.
const SDK_CIPHERTEXT =
  "tT1xP+ovuc0T3b/rnZX3ax76exqAn0ANQ6/U45GcciC0mgNBc8JtvqOJGNAPMKpgRs2dVU1NYk9VDeqS8T4SYtU0hzNU54aS84WnxvZ3VFfDcy/RyABlNqlUiGyLDzFI0yxdCMT4KR/YEQXlt6nZi50KwRlZ+A75r645KesZuLMljezYyY8VeeXEVjPw35+e";

function undecryptable(run: () => unknown): WebhookError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookError);
    expect((error as WebhookError).code).toBe("undecryptable");
    expect((error as WebhookError).status).toBe(400);
    return error as WebhookError;
  }
  throw new Error("expected decryption to fail");
}

describe("decryptLarkPayload", () => {
  it("decrypts the official doc vector", () => {
    expect(decryptLarkPayload("test key", DOC_CIPHERTEXT)).toBe("hello world");
  });

  it("decrypts the node-sdk challenge vector", () => {
    expect(JSON.parse(decryptLarkPayload("mazhe.nerd", SDK_CIPHERTEXT))).toEqual({
      challenge: "5634b122-c042-4634-bc7f-b07a3c3e77ad",
      token: "iRdCP2WwXNBXRM3mGLqhrgch3cn0gbT6",
      type: "url_verification",
    });
  });

  it("round-trips non-ASCII text and block-aligned lengths", () => {
    for (const plain of ["你好，世界 👋", "x".repeat(16), "y".repeat(47)]) {
      expect(decryptLarkPayload("k", encryptForTest("k", plain))).toBe(plain);
    }
  });

  it("refuses a wrong key with undecryptable", () => {
    // With a wrong key the padding is almost always invalid; try several IVs to be sure the
    // rare valid-padding case still yields undecryptable (not UTF-8) or a different text.
    for (let i = 0; i < 20; i++) {
      const encrypted = encryptForTest("right key", '{"hello":"world"}');
      try {
        expect(decryptLarkPayload("wrong key", encrypted)).not.toBe('{"hello":"world"}');
      } catch (error) {
        expect(error).toBeInstanceOf(WebhookError);
        expect((error as WebhookError).code).toBe("undecryptable");
      }
    }
  });

  it("refuses garbage, truncated and mis-sized ciphertexts with undecryptable only", () => {
    undecryptable(() => decryptLarkPayload("test key", "not base64 at all!"));
    undecryptable(() => decryptLarkPayload("test key", ""));
    undecryptable(() => decryptLarkPayload("test key", DOC_CIPHERTEXT.slice(0, 20)));
    // Valid base64 but only the IV.
    undecryptable(() => decryptLarkPayload("test key", Buffer.alloc(16).toString("base64")));
    // Valid base64, one byte short of a block.
    undecryptable(() => decryptLarkPayload("test key", Buffer.alloc(47).toString("base64")));
    // Right length, random bytes: bad padding.
    undecryptable(() =>
      decryptLarkPayload(
        "test key",
        Buffer.from(DOC_CIPHERTEXT, "base64").reverse().toString("base64"),
      ),
    );
  });

  it("refuses a ciphertext that only decodes because Node's base64 decoder is lenient", () => {
    const valid = decryptLarkPayload("test key", DOC_CIPHERTEXT);
    expect(valid).toBe("hello world");
    // Each of these decodes to the same bytes with Buffer.from(…, "base64"), so without the
    // canonical check they would decrypt; Lark only ever sends standard padded base64.
    const lenient = [
      `${DOC_CIPHERTEXT.slice(0, 10)}\n${DOC_CIPHERTEXT.slice(10)}`,
      ` ${DOC_CIPHERTEXT}`,
      DOC_CIPHERTEXT.replace(/=+$/, ""),
      DOC_CIPHERTEXT.replaceAll("+", "-").replaceAll("/", "_"),
    ].filter((text) => text !== DOC_CIPHERTEXT);
    expect(lenient.length).toBeGreaterThanOrEqual(3);
    for (const text of lenient) {
      const error = undecryptable(() => decryptLarkPayload("test key", text));
      expect(error.message).toMatch(/standard padded base64/);
    }
  });

  it("rejects padding that is not strict PKCS#7", () => {
    // The last byte says 2 bytes of padding, the one before it is not 2.
    const key = "k";
    const plaintext = Buffer.concat([Buffer.from("fourteen bytes"), Buffer.from([1, 2])]);
    const raw = encryptUnpaddedForTest(key, plaintext);
    const error = undecryptable(() => decryptLarkPayload(key, raw));
    expect(error.message).toMatch(/Encrypt Key/);
  });

  it("rejects a plaintext that is not UTF-8", () => {
    const raw = encryptUnpaddedForTest(
      "k",
      Buffer.from([0xff, 0xfe, 0x41, ...Array<number>(13).fill(13)]),
    );
    undecryptable(() => decryptLarkPayload("k", raw));
  });
});
