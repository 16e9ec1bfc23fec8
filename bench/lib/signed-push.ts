import { randomHex } from "../../test/kit/ids.js";
import { encryptLarkPayload, signLarkRequest } from "../../test/kit/lark-crypto.js";
import { messageEvent } from "../../test/kit/lark-events.js";

/** One push as Lark would send it: the exact bytes and headers, ready to replay. */
export interface SignedPush {
  body: string;
  headers: Record<string, string>;
  eventId: string;
  messageId: string;
  chatId: string;
}

/** Secrets shared by every benched server and the pushes (benchmark-only values). */
export const BENCH_ENCRYPT_KEY = "bench-encrypt-key-5f1c";
export const BENCH_VERIFICATION_TOKEN = "bench-verification-token";

/**
 * The encrypted body of an envelope, as compact JSON (the SDK baseline hashes
 * `JSON.stringify` of the parsed body, so the body must be compact to pass there too).
 */
export function encryptedBody(envelope: object, encryptKey = BENCH_ENCRYPT_KEY): string {
  return JSON.stringify({ encrypt: encryptLarkPayload(encryptKey, JSON.stringify(envelope)) });
}

function signatureHeaders(body: string, encryptKey: string): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = randomHex(8);
  return {
    "content-type": "application/json; charset=utf-8",
    "x-lark-request-timestamp": timestamp,
    "x-lark-request-nonce": nonce,
    "x-lark-signature": signLarkRequest(timestamp, nonce, encryptKey, body),
  };
}

export interface MessagePushOptions {
  appId: string;
  /** p2p chat id; each chat is one conversation. */
  chatId: string;
  text: string;
  senderOpenId?: string;
}

/** A unique `im.message.receive_v1` push (its own event_id and message_id). */
export function messagePush(options: MessagePushOptions): SignedPush {
  const envelope = messageEvent({
    appId: options.appId,
    token: BENCH_VERIFICATION_TOKEN,
    chatId: options.chatId,
    chatType: "p2p",
    senderOpenId: options.senderOpenId ?? "ou_bench_user",
    text: options.text,
  });
  const body = encryptedBody(envelope);
  return {
    body,
    headers: signatureHeaders(body, BENCH_ENCRYPT_KEY),
    eventId: envelope.header.event_id,
    messageId: envelope.event.message.message_id,
    chatId: options.chatId,
  };
}

/**
 * `count` unique pushes spread over `chats` conversations, generated before a timed run so
 * the load generator spends no time on AES or SHA-256 while it measures.
 */
export function messagePushes(count: number, appId: string, chats = 1000): SignedPush[] {
  const pushes: SignedPush[] = new Array(count);
  for (let i = 0; i < count; i++) {
    pushes[i] = messagePush({
      appId,
      chatId: `oc_bench_${i % chats}`,
      text: `Question ${i}: how long does an ack take?`,
    });
  }
  return pushes;
}
