import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { envelopeEventId, envelopeEventType } from "../../../src/lark/lark-envelope.js";
import { type OpenWebhookInput, openWebhook } from "../../../src/lark/webhook/open-webhook.js";
import { WebhookError } from "../../../src/lark/webhook/webhook-error.js";
import { encryptForTest, signForTest } from "./lark-crypto-for-tests.js";

const KEY = "encrypt-key-1";
const TOKEN = "vtoken123";
const NOW = 1_700_000_000_000;
const NOW_SEC = NOW / 1000;

const messageEvent = {
  schema: "2.0",
  header: {
    event_id: "ev_1",
    event_type: "im.message.receive_v1",
    create_time: "1700000000000",
    token: TOKEN,
    app_id: "cli_0123456789abcdef",
    tenant_key: "tenant",
  },
  event: { message: { message_id: "om_1" } },
};

const v1Event = {
  ts: "1502199207.7171419",
  uuid: "uuid-1",
  token: TOKEN,
  type: "event_callback",
  event: { type: "p2p_chat_create", chat_id: "oc_1" },
};

/** Builds a push the way Lark sends it: optionally encrypted, then signed over the exact bytes. */
function push(
  body: unknown,
  options: { encryptWith?: string; signWith?: string; at?: number } = {},
): Pick<OpenWebhookInput, "rawBody" | "headers"> {
  const json = JSON.stringify(body);
  const raw = options.encryptWith
    ? JSON.stringify({ encrypt: encryptForTest(options.encryptWith, json) })
    : json;
  const rawBody = Buffer.from(raw);
  const headers = options.signWith
    ? signForTest(options.signWith, rawBody, { timestampSec: options.at ?? NOW_SEC })
    : {};
  return { rawBody, headers };
}

function open(input: Partial<OpenWebhookInput> & Pick<OpenWebhookInput, "rawBody">) {
  return openWebhook({ headers: {}, kind: "event", now: NOW, ...input });
}

function failure(run: () => unknown): WebhookError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookError);
    return error as WebhookError;
  }
  throw new Error("expected openWebhook to refuse the request");
}

describe("openWebhook: challenge", () => {
  const challenge = { challenge: "ajls384kdjx98XX", token: TOKEN, type: "url_verification" };

  it("answers a plain challenge", () => {
    expect(open({ ...push(challenge), verificationToken: TOKEN })).toEqual({
      type: "challenge",
      challenge: "ajls384kdjx98XX",
    });
  });

  it("answers the node-sdk encrypted challenge vector without signature headers", () => {
    const rawBody = Buffer.from(
      JSON.stringify({
        encrypt:
          "tT1xP+ovuc0T3b/rnZX3ax76exqAn0ANQ6/U45GcciC0mgNBc8JtvqOJGNAPMKpgRs2dVU1NYk9VDeqS8T4SYtU0hzNU54aS84WnxvZ3VFfDcy/RyABlNqlUiGyLDzFI0yxdCMT4KR/YEQXlt6nZi50KwRlZ+A75r645KesZuLMljezYyY8VeeXEVjPw35+e",
      }),
    );
    const opened = open({
      rawBody,
      encryptKey: "mazhe.nerd",
      verificationToken: "iRdCP2WwXNBXRM3mGLqhrgch3cn0gbT6",
    });
    expect(opened).toEqual({
      type: "challenge",
      challenge: "5634b122-c042-4634-bc7f-b07a3c3e77ad",
    });
  });

  it("refuses a challenge whose token is wrong or missing", () => {
    const wrong = failure(() =>
      open({ ...push({ ...challenge, token: "other" }), verificationToken: TOKEN }),
    );
    expect([wrong.code, wrong.status]).toEqual(["bad_token", 401]);
    const missing = failure(() =>
      open({ ...push({ challenge: "c", type: "url_verification" }), verificationToken: TOKEN }),
    );
    expect(missing.code).toBe("bad_token");
  });

  it("refuses an encrypted challenge with a wrong token", () => {
    const input = push({ ...challenge, token: "other" }, { encryptWith: KEY });
    const error = failure(() => open({ ...input, encryptKey: KEY, verificationToken: TOKEN }));
    expect(error.code).toBe("bad_token");
  });

  it("reports an encrypted challenge under another key as undecryptable", () => {
    const input = push(challenge, { encryptWith: "another key" });
    const error = failure(() => open({ ...input, encryptKey: KEY }));
    expect([error.code, error.status]).toEqual(["undecryptable", 400]);
  });
});

describe("openWebhook: encrypted and signed events", () => {
  it("opens an encrypted, signed schema 2.0 event", () => {
    const input = push(messageEvent, { encryptWith: KEY, signWith: KEY });
    const opened = open({ ...input, encryptKey: KEY, verificationToken: TOKEN });
    expect(opened.type).toBe("event");
    if (opened.type !== "event") return;
    expect(opened.envelope).toEqual(messageEvent);
    expect(envelopeEventType(opened.envelope)).toBe("im.message.receive_v1");
    expect(envelopeEventId(opened.envelope)).toBe("ev_1");
  });

  it("opens a plaintext event signed with the Encrypt Key", () => {
    const opened = open({ ...push(messageEvent, { signWith: KEY }), encryptKey: KEY });
    expect(opened.type).toBe("event");
  });

  it("requires a signature when an Encrypt Key is configured", () => {
    for (const input of [push(messageEvent, { encryptWith: KEY }), push(messageEvent)]) {
      const error = failure(() => open({ ...input, encryptKey: KEY }));
      expect([error.code, error.status]).toEqual(["missing_signature", 401]);
    }
  });

  it("refuses a body re-serialized with different spacing (signature is over raw bytes)", () => {
    const original = push(messageEvent, { encryptWith: KEY, signWith: KEY });
    const respaced = Buffer.from(JSON.stringify(JSON.parse(original.rawBody.toString()), null, 2));
    const error = failure(() =>
      open({ rawBody: respaced, headers: original.headers, encryptKey: KEY }),
    );
    expect(error.code).toBe("bad_signature");
  });

  it("refuses a tampered body", () => {
    const original = push(messageEvent, { signWith: KEY });
    const tampered = Buffer.from(original.rawBody.toString().replace("om_1", "om_2"));
    const error = failure(() =>
      open({ rawBody: tampered, headers: original.headers, encryptKey: KEY }),
    );
    expect([error.code, error.status]).toEqual(["bad_signature", 401]);
  });

  it("refuses a replay outside the window that covers Lark's re-push schedule", () => {
    const input = push(messageEvent, { encryptWith: KEY, signWith: KEY, at: NOW_SEC - 9 * 3600 });
    expect(failure(() => open({ ...input, encryptKey: KEY })).code).toBe("stale");
  });

  it("finds signature headers whatever their case, and takes the first of repeated ones", () => {
    const rawBody = Buffer.from(JSON.stringify(messageEvent));
    const headers = signForTest(KEY, rawBody, { timestampSec: NOW_SEC });
    const shouted: OpenWebhookInput["headers"] = {
      "X-Lark-Request-Timestamp": headers["x-lark-request-timestamp"],
      "X-Lark-Request-Nonce": [headers["x-lark-request-nonce"], "other"],
      "X-Lark-Signature": headers["x-lark-signature"],
    };
    expect(open({ rawBody, headers: shouted, encryptKey: KEY }).type).toBe("event");
  });

  it("refuses an encrypted body when no Encrypt Key is configured", () => {
    const error = failure(() => open(push(messageEvent, { encryptWith: KEY })));
    expect([error.code, error.status]).toEqual(["encrypted_but_no_key", 400]);
  });

  it("reports garbage ciphertext in a signed body as undecryptable", () => {
    for (const encrypt of ["AAAA", "not base64!", randomBytes(48).toString("base64"), 42]) {
      const rawBody = Buffer.from(JSON.stringify({ encrypt }));
      const headers = signForTest(KEY, rawBody, { timestampSec: NOW_SEC });
      expect(failure(() => open({ rawBody, headers, encryptKey: KEY })).code).toBe("undecryptable");
    }
  });

  it("reports a signed body that decrypts to non-JSON as bad_json", () => {
    const rawBody = Buffer.from(JSON.stringify({ encrypt: encryptForTest(KEY, "not json") }));
    const headers = signForTest(KEY, rawBody, { timestampSec: NOW_SEC });
    expect(failure(() => open({ rawBody, headers, encryptKey: KEY })).code).toBe("bad_json");
  });

  it("answers every unsigned decryption failure alike (no padding oracle)", () => {
    const outcomes = new Set<string>();
    for (const plain of ["not json", "[1,2]", "{"]) {
      const rawBody = Buffer.from(JSON.stringify({ encrypt: encryptForTest(KEY, plain) }));
      const error = failure(() => open({ rawBody, encryptKey: KEY }));
      outcomes.add(`${error.code} ${error.status} ${error.message}`);
    }
    const bad = Buffer.from(JSON.stringify({ encrypt: randomBytes(48).toString("base64") }));
    const error = failure(() => open({ rawBody: bad, encryptKey: KEY }));
    outcomes.add(`${error.code} ${error.status} ${error.message}`);
    expect([...outcomes]).toHaveLength(1);
    expect([...outcomes][0]).toMatch(/^undecryptable 400/);
  });
});

describe("openWebhook: verification token", () => {
  it("accepts a v2 event with the right header.token and refuses a wrong one", () => {
    expect(open({ ...push(messageEvent), verificationToken: TOKEN }).type).toBe("event");
    const wrong = { ...messageEvent, header: { ...messageEvent.header, token: "other" } };
    const error = failure(() => open({ ...push(wrong), verificationToken: TOKEN }));
    expect([error.code, error.status]).toEqual(["bad_token", 401]);
  });

  it("accepts a v1 event with the right token and refuses a wrong one", () => {
    const opened = open({ ...push(v1Event), verificationToken: TOKEN });
    expect(opened.type).toBe("event");
    if (opened.type === "event") {
      expect(envelopeEventType(opened.envelope)).toBe("p2p_chat_create");
      expect(envelopeEventId(opened.envelope)).toBe("uuid-1");
    }
    const error = failure(() =>
      open({ ...push({ ...v1Event, token: "other" }), verificationToken: TOKEN }),
    );
    expect(error.code).toBe("bad_token");
  });

  it("checks the token inside an encrypted, signed body too", () => {
    const wrong = { ...messageEvent, header: { ...messageEvent.header, token: "other" } };
    const input = push(wrong, { encryptWith: KEY, signWith: KEY });
    const error = failure(() => open({ ...input, encryptKey: KEY, verificationToken: TOKEN }));
    expect(error.code).toBe("bad_token");
  });

  it("accepts anything well-formed when no secret is configured", () => {
    expect(open(push({ ...v1Event, token: "whatever" })).type).toBe("event");
  });
});

describe("openWebhook: malformed bodies", () => {
  it("refuses invalid JSON with bad_json", () => {
    const error = failure(() => open({ rawBody: Buffer.from("{not json") }));
    expect([error.code, error.status]).toEqual(["bad_json", 400]);
  });

  it("refuses JSON that is not an object", () => {
    for (const raw of ["[]", "null", '"text"', "42"]) {
      expect(failure(() => open({ rawBody: Buffer.from(raw) })).code).toBe("not_an_object");
    }
  });

  it("refuses objects that are not envelopes", () => {
    const noEventId = { ...messageEvent, header: { ...messageEvent.header, event_id: undefined } };
    for (const body of [{ hello: 1 }, { ...messageEvent, schema: "3.0" }, noEventId]) {
      const error = failure(() => open(push(body)));
      expect([error.code, error.status]).toEqual(["not_an_object", 400]);
    }
  });

  it("throws nothing but WebhookError for random bytes", () => {
    for (let i = 0; i < 200; i++) {
      const rawBody =
        i % 2 ? randomBytes(i) : Buffer.from(`{"encrypt":"${randomBytes(i).toString("base64")}"}`);
      try {
        open({ rawBody, encryptKey: i % 3 ? KEY : undefined, verificationToken: TOKEN });
      } catch (error) {
        expect(error).toBeInstanceOf(WebhookError);
      }
    }
  });
});

describe("openWebhook: card callbacks", () => {
  // Legacy card SHA-1 vector (docs/lark-notes.md#legacy-card-callback for the formula).
  const legacyRaw = Buffer.from(
    '{"open_id":"ou_x","open_message_id":"om_x","tenant_key":"t","token":"c-x","action":{"value":{"k":"v"},"tag":"button"}}',
  );
  const legacyHeaders = {
    "x-lark-request-timestamp": "1700000000",
    "x-lark-request-nonce": "abc123",
    "x-lark-signature": "89fd2201f82bc445d108f3a10a6e1c712df1a83b",
  };

  it("opens a legacy card signed with the Verification Token, ignoring its c- token", () => {
    const opened = open({
      rawBody: legacyRaw,
      headers: legacyHeaders,
      verificationToken: TOKEN,
      encryptKey: KEY,
      kind: "card",
    });
    expect(opened).toEqual({ type: "legacy_card", body: JSON.parse(legacyRaw.toString()) });
  });

  it("refuses a legacy card with a wrong or missing signature", () => {
    const wrong = { ...legacyHeaders, "x-lark-signature": "0".repeat(40) };
    const input = { rawBody: legacyRaw, verificationToken: TOKEN, kind: "card" as const };
    expect(failure(() => open({ ...input, headers: wrong })).code).toBe("bad_signature");
    expect(failure(() => open({ ...input, headers: {} })).code).toBe("missing_signature");
  });

  it("refuses a legacy card when only an Encrypt Key is configured (no way to verify it)", () => {
    const error = failure(() =>
      open({ rawBody: legacyRaw, headers: legacyHeaders, encryptKey: KEY, kind: "card" }),
    );
    expect([error.code, error.status]).toEqual(["missing_signature", 401]);
  });

  it("does not take a legacy card body on the event endpoint", () => {
    expect(failure(() => open({ rawBody: legacyRaw, kind: "event" })).code).toBe("not_an_object");
  });

  it("opens a schema 2.0 card.action.trigger like an event and checks header.token", () => {
    const callback = {
      schema: "2.0",
      header: { ...messageEvent.header, event_type: "card.action.trigger" },
      event: { operator: { open_id: "ou_1" }, token: "c-1", action: { value: { k: "v" } } },
    };
    const input = push(callback, { encryptWith: KEY, signWith: KEY });
    const opened = open({ ...input, encryptKey: KEY, verificationToken: TOKEN, kind: "card" });
    expect(opened).toEqual({ type: "event", envelope: callback });

    const forged = { ...callback, header: { ...callback.header, token: "c-1" } };
    const error = failure(() => open({ ...push(forged), verificationToken: TOKEN, kind: "card" }));
    expect(error.code).toBe("bad_token");
  });

  it("answers a card URL challenge", () => {
    const body = { challenge: "card-challenge", token: TOKEN, type: "url_verification" };
    const opened = open({ ...push(body), verificationToken: TOKEN, kind: "card" });
    expect(opened).toEqual({ type: "challenge", challenge: "card-challenge" });
  });
});
