import { type Kysely, type Migration, sql } from "kysely";
import type { Dialect } from "../database.js";

/**
 * An index for the console's search over questions and answers, with the semantics of the
 * unindexed scan it speeds up (a case-insensitive substring, any language, Chinese included):
 * trigrams. SQLite: an FTS5 table with the trigram tokenizer over `exchanges`, kept by
 * triggers. PostgreSQL: pg_trgm GIN indexes, which ILIKE uses; where the extension cannot be
 * created (a role without the right), the search stays a scan and still works.
 */
export function chatLogSearchMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (dialect === "sqlite") {
        await sql`create virtual table exchanges_fts using fts5(question, answer, content='exchanges', content_rowid='id', tokenize='trigram')`.execute(
          db,
        );
        await sql`insert into exchanges_fts(exchanges_fts) values ('rebuild')`.execute(db);
        await sql`create trigger exchanges_fts_insert after insert on exchanges begin
          insert into exchanges_fts(rowid, question, answer) values (new.id, new.question, new.answer);
        end`.execute(db);
        await sql`create trigger exchanges_fts_delete after delete on exchanges begin
          insert into exchanges_fts(exchanges_fts, rowid, question, answer) values ('delete', old.id, old.question, old.answer);
        end`.execute(db);
        await sql`create trigger exchanges_fts_update after update of question, answer on exchanges begin
          insert into exchanges_fts(exchanges_fts, rowid, question, answer) values ('delete', old.id, old.question, old.answer);
          insert into exchanges_fts(rowid, question, answer) values (new.id, new.question, new.answer);
        end`.execute(db);
        return;
      }
      // In the migration's transaction: a refused CREATE EXTENSION must not abort the rest.
      await sql`savepoint chat_log_search`.execute(db);
      try {
        await sql`create extension if not exists pg_trgm schema public`.execute(db);
      } catch {
        await sql`rollback to savepoint chat_log_search`.execute(db);
        return;
      }
      // Where the extension lives (public, unless it was there before in another schema): the
      // operator class is named with it, whatever the search path of this connection.
      const found = await sql<{
        schema: string;
      }>`select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm'`.execute(
        db,
      );
      // PostgreSQL 17 builds GIN indexes with parallel workers, which fail to resolve a schema
      // created in this very transaction (a fresh database's first migration run).
      await sql`set local max_parallel_maintenance_workers = 0`.execute(db);
      const ops = sql.raw(`${quoteIdent(found.rows[0]?.schema ?? "public")}.gin_trgm_ops`);
      await sql`create index exchanges_question_trgm on exchanges using gin (question ${ops})`.execute(
        db,
      );
      await sql`create index exchanges_answer_trgm on exchanges using gin (answer ${ops})`.execute(
        db,
      );
    },
  };
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
