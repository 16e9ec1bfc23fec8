import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import type { Database } from "./schema.js";

export type Dialect = "sqlite" | "postgres";

export interface OpenDatabase {
  db: Kysely<Database>;
  dialect: Dialect;
  /** The better-sqlite3 handle under a SQLite `db`, for the few hot paths that bypass Kysely. */
  sqlite?: SqliteDatabase.Database;
}

/** How long a SQLite writer waits for another process's write lock before SQLITE_BUSY. */
const SQLITE_BUSY_TIMEOUT_MS = 5_000;

/** int8 type id in PostgreSQL's catalog (pg_type.oid). */
const PG_INT8_OID = 20;

/**
 * Opens the database named by a `DATABASE_URL`-style string.
 *
 * @example
 *   const { db, dialect } = createDatabase("sqlite:./data/larkgate.db");
 *   const { db } = createDatabase("postgres://larkgate@db:5432/larkgate");
 */
export function createDatabase(url: string): OpenDatabase {
  if (url.startsWith("sqlite:")) {
    const sqlite = openSqlite(sqlitePath(url));
    return {
      db: new Kysely<Database>({
        dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
      }),
      dialect: "sqlite",
      sqlite,
    };
  }
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
    return { db: openPostgres(url), dialect: "postgres" };
  }
  throw new Error(
    `DATABASE_URL must be "sqlite:<path>" (e.g. sqlite:./data/larkgate.db, or sqlite::memory:) ` +
      `or "postgres://user:password@host:5432/database"; got "${redactUrl(url)}".`,
  );
}

/**
 * The path of a `sqlite:` URL (`sqlite:./a.db`, `sqlite:/abs/a.db`, `sqlite:///abs/a.db`,
 * `sqlite::memory:`), or undefined for any other URL.
 */
export function sqlitePathOf(url: string): string | undefined {
  if (!url.startsWith("sqlite:")) return undefined;
  const path = url.slice("sqlite:".length);
  return path.startsWith("//") ? path.slice(2) : path;
}

function sqlitePath(url: string): string {
  const path = sqlitePathOf(url) ?? "";
  if (path === "") {
    throw new Error(
      'DATABASE_URL "sqlite:" has no path: use sqlite:./data/larkgate.db or sqlite::memory:.',
    );
  }
  return path;
}

/** Distinct SQL texts kept prepared; Kysely's queries are parameterized, so a few dozen in use. */
const STATEMENT_CACHE_SIZE = 256;

/**
 * better-sqlite3 as Kysely sees it, preparing each SQL text once. Kysely prepares on every
 * query, and preparing was the largest single cost of an answer's database work (profile of
 * the answer bench: 5% of the gateway's CPU). Safe because Kysely never leaves a statement
 * mid-iteration here: nothing of ours streams query results.
 */
function withStatementCache(sqlite: SqliteDatabase.Database) {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string): SqliteDatabase.Statement {
      let statement = statements.get(sql);
      if (!statement) {
        statement = sqlite.prepare(sql);
        if (statements.size >= STATEMENT_CACHE_SIZE) {
          statements.delete(statements.keys().next().value as string);
        }
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

function openSqlite(path: string): SqliteDatabase.Database {
  const inMemory = path === ":memory:";
  if (!inMemory) mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new SqliteDatabase(path);
  // WAL lets readers (e.g. `larkgate logs`) run beside the writer; NORMAL is durable under WAL
  // except for the last transactions on power loss, which Lark's redelivery covers.
  if (!inMemory) sqlite.pragma("journal_mode = WAL");
  sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  return sqlite;
}

function openPostgres(url: string): Kysely<Database> {
  // Ids and epoch-ms times are int8; pg returns those as strings unless told otherwise. Both
  // stay far below 2^53, so numbers are exact. Per-pool, so other pg users are unaffected.
  const types = new pg.TypeOverrides();
  types.setTypeParser(PG_INT8_OID, (value: string) => Number(value));
  const pool = new pg.Pool({ connectionString: url, types });
  // An idle client that loses its connection emits on the pool; without a listener Node
  // would crash. pg already discards that client, and queries in flight get their own error.
  pool.on("error", () => {});
  // A client checked out (inside a transaction, between two statements) has no pool listener
  // while it is out: a reset then was an unhandled 'error' that ended the process (seen with
  // the connection to PostgreSQL cut mid-burst). Its next query fails instead, the caller's
  // transaction with it, and the pool drops the client on release (it is no longer queryable).
  pool.on("connect", (client) => client.on("error", () => {}));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** Never echo a password back into logs. */
function redactUrl(url: string): string {
  return url.replace(/\/\/([^/@:]*):[^/@]*@/, "//$1:***@");
}
