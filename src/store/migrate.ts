import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from "kysely";
import type { Dialect } from "./database.js";
import { immediateTransaction } from "./immediate-transaction.js";
import { allMigrations } from "./migrations/all-migrations.js";
import type { Database } from "./schema.js";

/**
 * First key of the two-int advisory lock that serialises migrations on PostgreSQL; the second
 * key is the hash of the schema, so instances migrating different schemas don't wait on each
 * other. Arbitrary, only needs to differ from the space used for conversation locks.
 */
const MIGRATION_LOCK_SPACE = 0x4c4b4701;

/** Own table names, so another Kysely app sharing the database or schema can't collide. */
const MIGRATION_TABLE = "larkgate_migration";
const MIGRATION_LOCK_TABLE = "larkgate_migration_lock";

/**
 * Brings the schema to the latest migration. Safe when several processes start at once:
 * everything runs on one connection that first takes a lock other starters wait on
 * (`pg_advisory_lock` on PostgreSQL, `BEGIN IMMEDIATE` on SQLite), so the second starter finds
 * the work done. On SQLite the whole run is one transaction, so a crash leaves no half schema.
 */
export async function migrateToLatest(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  if (dialect === "sqlite") {
    await immediateTransaction(db, (conn) => runMigrator(conn, dialect, undefined));
    return;
  }
  await db.connection().execute(async (conn) => {
    const schema = await currentSchema(conn);
    await sql`select pg_advisory_lock(${sql.lit(MIGRATION_LOCK_SPACE)}, hashtext(${schema}))`.execute(
      conn,
    );
    try {
      await runMigrator(conn, dialect, schema);
    } finally {
      await sql`select pg_advisory_unlock(${sql.lit(MIGRATION_LOCK_SPACE)}, hashtext(${schema}))`.execute(
        conn,
      );
    }
  });
}

/** `db` may be bound to one connection: Kysely's migrator then runs entirely on it. */
async function runMigrator(
  db: Kysely<Database>,
  dialect: Dialect,
  schema: string | undefined,
): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: inCodeProvider(allMigrations(dialect)),
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    // Kysely's own "does the table exist" check looks across all PostgreSQL schemas; naming
    // the schema keeps a second instance in another schema of the same database correct.
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === "Error")?.migrationName;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      failed === undefined
        ? `Database migration failed: ${reason}`
        : `Database migration ${failed} failed: ${reason}`,
      { cause: error },
    );
  }
}

/** The schema unqualified tables land in: the first existing entry of `search_path`. */
async function currentSchema(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(
    db,
  );
  const schema = rows[0]?.schema;
  if (!schema) {
    throw new Error(
      "PostgreSQL has no current schema: no schema in search_path exists. Create it, or fix " +
        "`options=-c search_path=<schema>` in DATABASE_URL.",
    );
  }
  return schema;
}

function inCodeProvider(migrations: Record<string, Migration>): MigrationProvider {
  return { getMigrations: async () => migrations };
}
