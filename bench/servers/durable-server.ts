import Database from "better-sqlite3";
import { type OpenedPush, pushOpener, readBody } from "./open-push.js";
import { serveBaseline } from "./serve-baseline.js";

/**
 * Baseline (d), the floor for any durable webhook: node:http, the Lark signature check,
 * AES decryption, both JSON parses, and one SQLite row per push (keyed by message id, so a
 * duplicate is refused) committed before the 200, with group commit per event-loop turn.
 * No normalisation, logging, routing or job queue: what persisting a push costs, and no more.
 */
const encryptKey = process.env.BENCH_ENCRYPT_KEY;
const dbPath = process.env.BENCH_DB_PATH;
if (!encryptKey || !dbPath) throw new Error("BENCH_ENCRYPT_KEY and BENCH_DB_PATH must be set");
const open = pushOpener(encryptKey);

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

serveBaseline(
  (req, res) => {
    readBody(req, (raw) => {
      let item: OpenedPush;
      try {
        item = open(raw, req.headers);
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
