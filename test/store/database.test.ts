import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createDatabase } from "../../src/store/database.js";

describe("createDatabase", () => {
  it("names DATABASE_URL and both accepted forms for an unknown scheme", () => {
    expect(() => createDatabase("mysql://root:hunter2@db/app")).toThrow(
      /DATABASE_URL.*sqlite:<path>.*postgres:\/\//,
    );
  });

  it("does not echo the password of a rejected URL", () => {
    expect(() => createDatabase("mysql://root:hunter2@db/app")).toThrow(/root:\*\*\*@db/);
    expect(() => createDatabase("mysql://root:hunter2@db/app")).not.toThrow(/hunter2/);
  });

  it("rejects an empty SQLite path", () => {
    expect(() => createDatabase("sqlite:")).toThrow(/sqlite::memory:/);
  });

  it("picks the dialect from the scheme", async () => {
    const sqlite = createDatabase("sqlite::memory:");
    expect(sqlite.dialect).toBe("sqlite");
    await sqlite.db.destroy();
    // The pool connects lazily, so no server is needed to open it.
    const postgres = createDatabase("postgresql://nobody@127.0.0.1:1/none");
    expect(postgres.dialect).toBe("postgres");
    await postgres.db.destroy();
  });

  it("keeps answering correctly with prepared statements reused across schema changes and evictions", async () => {
    const { db } = createDatabase("sqlite::memory:");
    await sql`create table notes (id integer primary key, body text)`.execute(db);
    const insert = (body: string) => sql`insert into notes (body) values (${body})`.execute(db);
    const select = () => sql<{ body: string }>`select * from notes order by id`.execute(db);
    await insert("first");
    expect((await select()).rows).toEqual([{ id: 1, body: "first" }]);
    // The cached `select *` must see a column added after it was prepared.
    await sql`alter table notes add column tag text`.execute(db);
    expect((await select()).rows).toEqual([{ id: 1, body: "first", tag: null }]);
    // More distinct statements than the cache keeps, then the first ones again.
    for (let i = 0; i < 300; i++) {
      const found = await sql<{
        n: number;
      }>`select ${sql.lit(i)} + count(*) as n from notes`.execute(db);
      expect(found.rows[0]!.n).toBe(i + 1);
    }
    await insert("second");
    expect((await select()).rows.map((r) => r.body)).toEqual(["first", "second"]);
    await db.destroy();
  });
});
