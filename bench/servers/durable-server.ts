import { createDecipheriv, createHash, timingSafeEqual } from "node:crypto";
import type http from "node:http";
import Database from "better-sqlite3";
import { serveBaseline } from "./serve-baseline.js";

/**
 * Baseline (c), the floor for any durable webhook: node:http, the Lark signature check,
 * AES decryption, both JSON parses, and one SQLite row per push (keyed by message id, so a
 * duplicate is refused) committed before the 200, with group commit per event-loop turn.
 * No normalisation, logging, routing or job queue: what persisting a push costs, and no more.
 */
const encryptKey = process.env.BENCH_ENCRYPT_KEY;
const dbPath = process.env.BENCH_DB_PATH;
if (!encryptKey || !dbPath) throw new Error("BENCH_ENCRYPT_KEY and BENCH_DB_PATH must be set");
const aesKey = createHash("sha256").update(encryptKey).digest();

// The same durability as larkgate's SQLite store: WAL, synchronous=NORMAL.
const db = new Database(dbPath);
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
db.exec("CREATE TABLE IF NOT EXISTS inbox (message_id TEXT PRIMARY KEY, body TEXT NOT NULL)");
const insert = db.prepare("INSERT OR IGNORE INTO inbox (message_id, body) VALUES (?, ?)");
const count = db.prepare("SELECT count(*) FROM inbox").pluck();

let pending: Array<{ id: string; body: string; done: () => void }> = [];
const commit = db.transaction((items: typeof pending) => {
  for (const item of items) insert.run(item.id, item.body);
});
function flush(): void {
  const batch = pending;
  pending = [];
  commit(batch);
  for (const item of batch) item.done();
}

function open(raw: Buffer, headers: http.IncomingHttpHeaders): { id: string; body: string } {
  const expected = createHash("sha256")
    .update(`${headers["x-lark-request-timestamp"]}${headers["x-lark-request-nonce"]}${encryptKey}`)
    .update(raw)
    .digest();
  const received = Buffer.from(String(headers["x-lark-signature"]), "hex");
  if (received.length !== expected.length || !timingSafeEqual(received, expected)) {
    throw new Error("bad signature");
  }
  const data = Buffer.from((JSON.parse(raw.toString()) as { encrypt: string }).encrypt, "base64");
  const decipher = createDecipheriv("aes-256-cbc", aesKey, data.subarray(0, 16));
  const body = Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]).toString();
  const event = JSON.parse(body) as { event: { message: { message_id: string } } };
  return { id: event.event.message.message_id, body };
}

serveBaseline(
  (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      let item: { id: string; body: string };
      try {
        item = open(Buffer.concat(chunks), req.headers);
      } catch {
        res.writeHead(400).end();
        return;
      }
      if (pending.length === 0) setImmediate(flush);
      pending.push({
        ...item,
        done: () => {
          res.writeHead(200, { "content-type": "application/json" });
          res.end("{}");
        },
      });
    });
  },
  () => count.get() as number,
);
