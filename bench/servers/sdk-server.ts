import * as lark from "@larksuiteoapi/node-sdk";
import { serveBaseline } from "./serve-baseline.js";

/**
 * Baseline (b): the official SDK's webhook path, `EventDispatcher` behind `adaptDefault`, with
 * the same Encrypt Key as larkgate (signature check and AES decryption) and an
 * `im.message.receive_v1` handler that returns at once; it stores nothing. The SDK answers 200
 * even when a signature fails, so `GET /stats` counts the pushes that reached the handler.
 */
const encryptKey = process.env.BENCH_ENCRYPT_KEY;
if (!encryptKey) throw new Error("BENCH_ENCRYPT_KEY must be set");

let handled = 0;
const dispatcher = new lark.EventDispatcher({
  encryptKey,
  loggerLevel: lark.LoggerLevel.warn,
}).register({
  "im.message.receive_v1": async () => {
    handled++;
  },
});
const webhook = lark.adaptDefault("/webhook/event", dispatcher, { autoChallenge: true });

serveBaseline(webhook, () => handled);
