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
});
