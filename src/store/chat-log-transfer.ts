import type { Kysely, Selectable } from "kysely";
import { createDatabase, type Dialect } from "./database.js";
import { migrateToLatest } from "./migrate.js";
import type { ConversationsTable, Database, ExchangesTable } from "./schema.js";

/** The first line of an export: what wrote it, so an import can refuse what it cannot read. */
export interface ExportHeader {
  larkgate: "export";
  version: 1;
  exportedAt: number;
  from: Dialect;
}

/** Every later line: one row of a table, its columns as the store keeps them. */
export type ExportLine =
  | { table: "conversations"; row: Selectable<ConversationsTable> }
  | { table: "exchanges"; row: ExchangeLine };

/** Exchanges travel without their id: the target numbers them anew, in the same order. */
type ExchangeLine = Omit<Selectable<ExchangesTable>, "id">;

const PAGE = 1_000;

export interface TransferCounts {
  conversations: number;
  exchanges: number;
}

/**
 * The chat log and conversation state of a database, as JSON lines and back, so a team can
 * move from SQLite to PostgreSQL (or back) without losing history. Jobs and dedup keys are
 * not moved: they are the in-flight work of the gateway that is being replaced.
 */
export async function openTransfer(url: string) {
  const { db, dialect } = createDatabase(url);
  try {
    await migrateToLatest(db, dialect);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return {
    dialect,
    /** Writes the header, then every conversation and exchange (oldest first), page by page. */
    async export(write: (line: string) => Promise<void> | void): Promise<TransferCounts> {
      const header: ExportHeader = {
        larkgate: "export",
        version: 1,
        exportedAt: Date.now(),
        from: dialect,
      };
      await write(JSON.stringify(header));
      const counts = { conversations: 0, exchanges: 0 };
      for (let offset = 0; ; offset += PAGE) {
        const rows = await db
          .selectFrom("conversations")
          .selectAll()
          .orderBy("bot_id")
          .orderBy("conversation_key")
          .limit(PAGE)
          .offset(offset)
          .execute();
        for (const row of rows) await write(JSON.stringify({ table: "conversations", row }));
        counts.conversations += rows.length;
        if (rows.length < PAGE) break;
      }
      for (let after = 0; ; ) {
        const rows = await db
          .selectFrom("exchanges")
          .selectAll()
          .where("id", ">", after)
          .orderBy("id")
          .limit(PAGE)
          .execute();
        for (const { id: _id, ...row } of rows) {
          await write(JSON.stringify({ table: "exchanges", row }));
        }
        counts.exchanges += rows.length;
        if (rows.length < PAGE) break;
        after = rows.at(-1)!.id;
      }
      return counts;
    },
    /**
     * Reads an export into this database in one transaction: all of it or nothing. Refuses a
     * database that already has a chat log, since merging two would interleave histories.
     */
    async import(open: () => AsyncIterable<string>): Promise<TransferCounts> {
      const existing = await db.selectFrom("exchanges").select("id").limit(1).executeTakeFirst();
      if (existing) {
        throw new TransferError(
          "the target database already has a chat log; import into a new, empty database",
        );
      }
      // Opened only now: a line reader started earlier drops what it read while nobody iterated.
      return db.transaction().execute((trx) => readLines(trx, open()));
    },
    close: () => db.destroy(),
  };
}

export class TransferError extends Error {
  override readonly name = "TransferError";
}

async function readLines(trx: Kysely<Database>, lines: AsyncIterable<string>) {
  const counts = { conversations: 0, exchanges: 0 };
  let number = 0;
  let header: ExportHeader | undefined;
  let exchanges: ExchangeLine[] = [];
  const flush = async () => {
    if (exchanges.length === 0) return;
    await trx.insertInto("exchanges").values(exchanges).execute();
    counts.exchanges += exchanges.length;
    exchanges = [];
  };
  for await (const text of lines) {
    number += 1;
    if (!text.trim()) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new TransferError(`line ${number} is not JSON`);
    }
    if (!header) {
      header = readHeader(parsed, number);
      continue;
    }
    const line = parsed as Partial<ExportLine>;
    if (line.table === "conversations" && line.row) {
      const row = line.row as Selectable<ConversationsTable>;
      await trx
        .insertInto("conversations")
        .values(row)
        .onConflict((oc) => oc.columns(["bot_id", "conversation_key"]).doUpdateSet(row))
        .execute();
      counts.conversations += 1;
    } else if (line.table === "exchanges" && line.row) {
      exchanges.push(line.row as ExchangeLine);
      // A few hundred rows per statement stays under SQLite's and PostgreSQL's parameter limits.
      if (exchanges.length >= 200) await flush();
    } else {
      throw new TransferError(`line ${number} is neither a conversation nor an exchange`);
    }
  }
  await flush();
  if (!header) throw new TransferError("the file is empty: not a larkgate export");
  return counts;
}

function readHeader(value: unknown, number: number): ExportHeader {
  const header = value as Partial<ExportHeader>;
  if (header?.larkgate !== "export") {
    throw new TransferError(`line ${number} is not a larkgate export header`);
  }
  if (header.version !== 1) {
    throw new TransferError(
      `export version ${String(header.version)} is newer than this larkgate reads (1)`,
    );
  }
  return header as ExportHeader;
}
