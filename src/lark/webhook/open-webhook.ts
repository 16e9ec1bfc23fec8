import {
  isLegacyCardBody,
  isRecord,
  isV2Envelope,
  type LarkEnvelope,
  type LegacyCardAction,
  readEnvelope,
} from "../lark-envelope.js";
import { decryptLarkPayload } from "./aes-cipher.js";
import {
  type SignatureHeaders,
  verifyLarkSignature,
  verifyLegacyCardSignature,
} from "./verify-signature.js";
import { tokensEqual } from "./verify-token.js";
import { WebhookError } from "./webhook-error.js";

export type {
  LarkEnvelope,
  LarkEnvelopeV1,
  LarkEnvelopeV2,
  LarkEventHeader,
  LegacyCardAction,
} from "../lark-envelope.js";

export type OpenedWebhook =
  | { type: "challenge"; challenge: string }
  | { type: "event"; envelope: LarkEnvelope }
  | { type: "legacy_card"; body: LegacyCardAction };

export interface OpenWebhookInput {
  /** The exact bytes received; signatures are computed over them. */
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
  /** When set: encrypted bodies are decrypted and every push except the challenge must be signed. */
  encryptKey?: string;
  /** When set: the challenge and every push must carry it (legacy cards: it signs them). */
  verificationToken?: string;
  /** Clock in epoch milliseconds, for the signature's staleness window. */
  now?: number;
  /** `card` also accepts legacy flat message-card callbacks. */
  kind: "event" | "card";
}

/**
 * Turns the bytes of a Lark push into a verified challenge, event envelope or legacy card
 * action (docs/lark-notes.md#webhook-pushes). Pure: the route answers `error.status` and logs `error.code`.
 *
 * @example
 * const opened = openWebhook({ rawBody, headers: req.headers, encryptKey, verificationToken, kind: "event" });
 * if (opened.type === "challenge") return { challenge: opened.challenge };
 * @throws WebhookError, and nothing else.
 */
export function openWebhook(input: OpenWebhookInput): OpenedWebhook {
  const encryptKey = input.encryptKey || undefined;
  const verificationToken = input.verificationToken || undefined;
  const headers = signatureHeaders(input.headers);
  const outer = parseObject(input.rawBody.toString("utf8"), "the body");

  if (input.kind === "card" && isLegacyCardBody(outer)) {
    return openLegacyCard(outer, headers, input.rawBody, encryptKey, verificationToken, input.now);
  }

  // Verify before decrypting whenever the request is signed, so that decryption errors are only
  // ever reported to a sender who holds the key.
  const signed = Object.values(headers).some((value) => value !== undefined);
  const verified = encryptKey !== undefined && signed;
  if (verified) {
    verifyLarkSignature({ ...headers, rawBody: input.rawBody, encryptKey, now: input.now });
  }

  let body = outer;
  if ("encrypt" in outer) {
    if (!encryptKey) {
      throw new WebhookError(
        "encrypted_but_no_key",
        "the body is encrypted but no Encrypt Key is configured for this bot",
      );
    }
    body = verified
      ? decryptObject(encryptKey, outer.encrypt)
      : decryptUnsigned(encryptKey, outer.encrypt);
  }

  if (body.type === "url_verification") return answerChallenge(body, verificationToken);

  if (encryptKey && !verified) {
    throw new WebhookError(
      "missing_signature",
      "an Encrypt Key is configured, so pushes must carry X-Lark-Signature and its timestamp and nonce",
    );
  }
  // Only reachable for an encrypted, signed body: some senders encrypt legacy card callbacks too.
  if (input.kind === "card" && isLegacyCardBody(body)) return { type: "legacy_card", body };

  const read = readEnvelope(body);
  if ("problem" in read) throw new WebhookError("not_an_object", read.problem);
  const { envelope } = read;
  if (verificationToken) {
    const token = isV2Envelope(envelope) ? envelope.header.token : envelope.token;
    if (typeof token !== "string" || !tokensEqual(token, verificationToken)) {
      throw new WebhookError(
        "bad_token",
        "the push's token is not the configured Verification Token (check it against the developer console)",
      );
    }
  }
  return { type: "event", envelope };
}

function openLegacyCard(
  body: LegacyCardAction,
  headers: SignatureHeaders,
  rawBody: Buffer,
  encryptKey: string | undefined,
  verificationToken: string | undefined,
  now: number | undefined,
): OpenedWebhook {
  // The body's own `token` is the card's update token, so the signature is the only proof.
  if (verificationToken) {
    verifyLegacyCardSignature({ ...headers, rawBody, verificationToken, now });
  } else if (encryptKey) {
    // Otherwise a flat body would be a way around the Encrypt Key signature.
    throw new WebhookError(
      "missing_signature",
      "legacy message-card callbacks are signed with the Verification Token; configure it to accept them",
    );
  }
  return { type: "legacy_card", body };
}

function answerChallenge(
  body: Record<string, unknown>,
  verificationToken: string | undefined,
): OpenedWebhook {
  if (typeof body.challenge !== "string") {
    throw new WebhookError("bad_json", "url_verification without a challenge string");
  }
  if (
    verificationToken &&
    (typeof body.token !== "string" || !tokensEqual(body.token, verificationToken))
  ) {
    throw new WebhookError(
      "bad_token",
      "the url_verification token is not the configured Verification Token (check it against the developer console)",
    );
  }
  return { type: "challenge", challenge: body.challenge };
}

function decryptObject(encryptKey: string, encrypted: unknown): Record<string, unknown> {
  if (typeof encrypted !== "string") {
    throw new WebhookError("undecryptable", "the encrypt field is not a string");
  }
  return parseObject(decryptLarkPayload(encryptKey, encrypted), "the decrypted body");
}

/**
 * For an unsigned request every failure looks the same, so that nobody without the key can use
 * the answers as a padding or format oracle; only the challenge is answered unsigned.
 */
function decryptUnsigned(encryptKey: string, encrypted: unknown): Record<string, unknown> {
  try {
    return decryptObject(encryptKey, encrypted);
  } catch (cause) {
    throw new WebhookError(
      "undecryptable",
      "the body does not decrypt to a JSON object with the configured Encrypt Key",
      { cause },
    );
  }
}

function parseObject(text: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new WebhookError("bad_json", `${what} is not valid JSON`, { cause });
  }
  if (!isRecord(value)) throw new WebhookError("not_an_object", `${what} is not a JSON object`);
  return value;
}

function signatureHeaders(headers: OpenWebhookInput["headers"]): SignatureHeaders {
  return {
    timestamp: header(headers, "x-lark-request-timestamp"),
    nonce: header(headers, "x-lark-request-nonce"),
    signature: header(headers, "x-lark-signature"),
  };
}

/** Node lower-cases header names; other callers may not, so match case-insensitively. */
function header(headers: OpenWebhookInput["headers"], name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    const first = Array.isArray(value) ? value[0] : value;
    return first === "" ? undefined : first;
  }
  return undefined;
}
