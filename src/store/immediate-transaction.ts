import { type Kysely, sql } from "kysely";
import type { Database } from "./schema.js";

/**
 * Runs `fn` in a SQLite `BEGIN IMMEDIATE` transaction: the write lock is taken up front, so a
 * read-then-write can't be overtaken by another process between the read and the write (a
 * deferred transaction would fail with SQLITE_BUSY there instead of waiting). Inside one
 * process Kysely's single SQLite connection already serialises transactions.
 */
export async function immediateTransaction<T>(
  db: Kysely<Database>,
  fn: (conn: Kysely<Database>) => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await fn(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (error) {
      await sql`rollback`.execute(conn);
      throw error;
    }
  });
}
