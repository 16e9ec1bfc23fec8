import { pushOpener, readBody } from "./open-push.js";
import { serveBaseline } from "./serve-baseline.js";

/**
 * Baseline (c): node:http with the Lark signature check, AES decryption and both JSON parses,
 * answering 200 without storing anything. Between the bare ceiling and the durable floor, it
 * separates what verifying a push costs from what storing it before the ack costs.
 */
const encryptKey = process.env.BENCH_ENCRYPT_KEY;
if (!encryptKey) throw new Error("BENCH_ENCRYPT_KEY must be set");
const open = pushOpener(encryptKey);

let verified = 0;
serveBaseline(
  (req, res) => {
    readBody(req, (raw) => {
      try {
        open(raw, req.headers);
      } catch {
        res.writeHead(400).end();
        return;
      }
      verified++;
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    });
  },
  () => verified,
);
