import http from "node:http";
import type { PushOptions, PushResult, PushWithRetriesOptions } from "./fake-lark-types.js";
import { randomHex } from "./ids.js";
import { encryptLarkPayload, signLarkRequest, signLegacyCard } from "./lark-crypto.js";

/** Lark's re-push schedule after a failed delivery (docs/lark-notes.md#acknowledgement-and-re-push-schedule). */
export const LARK_RETRY_DELAYS_MS = [15_000, 300_000, 3_600_000, 21_600_000];
/** A push that gets no HTTP 200 within 3 s counts as failed. */
export const LARK_PUSH_DEADLINE_MS = 3000;

export interface Pusher {
  push(url: string, envelope: object, opts?: PushOptions): Promise<PushResult>;
  pushWithRetries(
    url: string,
    envelope: object,
    opts?: PushWithRetriesOptions,
  ): Promise<PushResult[]>;
  close(): void;
}

/**
 * Delivers events to a gateway the way Lark does: compact JSON (node-sdk re-serialises the body
 * before checking the signature, so anything else would fail there), optionally encrypted and
 * signed over the exact bytes sent.
 */
export function createPusher(onPush: (envelope: object) => void): Pusher {
  // Keep-alive like Lark's pushers, so benchmarks do not measure TCP handshakes.
  const agent = new http.Agent({ keepAlive: true });

  async function push(url: string, envelope: object, opts: PushOptions = {}): Promise<PushResult> {
    onPush(envelope);
    const plaintext = JSON.stringify(envelope);
    const body = opts.encryptKey
      ? JSON.stringify({ encrypt: encryptLarkPayload(opts.encryptKey, plaintext) })
      : plaintext;
    const headers: Record<string, string> = {
      "content-type": "application/json; charset=utf-8",
      ...signatureHeaders(body, opts),
      ...opts.headers,
    };
    return send(agent, url, body, headers, opts.timeoutMs);
  }

  async function pushWithRetries(
    url: string,
    envelope: object,
    opts: PushWithRetriesOptions = {},
  ): Promise<PushResult[]> {
    const delays = opts.retryDelaysMs ?? LARK_RETRY_DELAYS_MS;
    const attemptOpts: PushOptions = {
      encryptKey: opts.encryptKey,
      sign: opts.sign,
      timeoutMs: opts.timeoutMs ?? LARK_PUSH_DEADLINE_MS,
    };
    const results = [await push(url, envelope, attemptOpts)];
    for (const delay of delays) {
      if (results.at(-1)?.status === 200 && !opts.alwaysRedeliver) break;
      await new Promise((resolve) => setTimeout(resolve, delay));
      results.push(await push(url, envelope, attemptOpts));
    }
    return results;
  }

  return { push, pushWithRetries, close: () => agent.destroy() };
}

function signatureHeaders(body: string, opts: PushOptions): Record<string, string> {
  const timestamp = opts.timestamp ?? String(Math.floor(Date.now() / 1000));
  const nonce = opts.nonce ?? randomHex(8);
  let signature: string | undefined;
  if (opts.legacyVerificationToken !== undefined) {
    signature = signLegacyCard(timestamp, nonce, opts.legacyVerificationToken, body);
  } else if (opts.encryptKey && (opts.sign ?? true)) {
    signature = signLarkRequest(timestamp, nonce, opts.encryptKey, body);
  } else if (opts.sign || opts.forgeSignature) {
    signature = signLarkRequest(timestamp, nonce, "", body);
  }
  if (signature === undefined) return {};
  if (opts.forgeSignature) {
    // Same length and alphabet, different value: only a real comparison can tell.
    signature = (signature[0] === "0" ? "1" : "0") + signature.slice(1);
  }
  return {
    "x-lark-request-timestamp": timestamp,
    "x-lark-request-nonce": nonce,
    "x-lark-signature": signature,
  };
}

function send(
  agent: http.Agent,
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number | undefined,
): Promise<PushResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const finish = (result: Omit<PushResult, "ms">) =>
      resolve({ ...result, ms: performance.now() - started });
    const req = http.request(url, { method: "POST", agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        clearTimeout(timer);
        finish({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString("utf8"),
          headers: res.headers,
        });
      });
      res.on("error", (error) => {
        clearTimeout(timer);
        finish({ status: 0, body: "", headers: res.headers, error: error.message });
      });
    });
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            req.destroy();
            finish({ status: 0, body: "", headers: {}, timedOut: true });
          }, timeoutMs);
    req.on("error", (error) => {
      clearTimeout(timer);
      finish({ status: 0, body: "", headers: {}, error: error.message });
    });
    req.end(body);
  });
}
