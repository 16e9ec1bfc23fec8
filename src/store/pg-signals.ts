import { type Kysely, sql } from "kysely";
import pg from "pg";
import type { Database } from "./schema.js";
import type { StoreSignals } from "./store.js";

const CHANNEL = "larkgate_stop";
const RECONNECT_MS = 1000;

/**
 * Stop requests across replicas over PostgreSQL LISTEN/NOTIFY: a Stop pressed on the replica
 * that received the callback reaches the replica that runs the answer. One dedicated
 * connection listens; it reconnects by itself if the server drops it.
 */
export function createPgSignals(
  url: string,
  db: Kysely<Database>,
): StoreSignals & { close(): Promise<void> } {
  const listeners: Array<(botId: string, messageId: string) => void> = [];
  let client: pg.Client | undefined;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;

  async function connect(): Promise<void> {
    if (closed) return;
    const next = new pg.Client({ connectionString: url });
    next.on("error", () => undefined);
    next.on("end", () => {
      if (client === next && !closed) {
        client = undefined;
        timer = setTimeout(() => void connect(), RECONNECT_MS);
      }
    });
    next.on("notification", (message) => {
      if (message.channel !== CHANNEL || !message.payload) return;
      try {
        const { b, m } = JSON.parse(message.payload) as { b: string; m: string };
        for (const listener of listeners) listener(b, m);
      } catch {
        // not ours
      }
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANNEL}`);
      client = next;
      if (closed) await next.end();
    } catch {
      await next.end().catch(() => undefined);
      if (!closed) timer = setTimeout(() => void connect(), RECONNECT_MS);
    }
  }
  const ready = connect();

  return {
    async publishStop(botId, messageId) {
      await sql`select pg_notify(${CHANNEL}, ${JSON.stringify({ b: botId, m: messageId })})`.execute(
        db,
      );
    },
    onStop(listener) {
      listeners.push(listener);
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await ready;
      await client?.end().catch(() => undefined);
    },
  };
}
