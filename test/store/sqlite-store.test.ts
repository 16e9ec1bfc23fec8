import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { describeLimitsContract } from "./limits-contract.js";
import { describeStoreContract } from "./store-contract.js";

const dir = mkdtempSync(join(tmpdir(), "larkgate-store-"));
let files = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A nested, not yet existing folder also checks that the store creates parent directories.
describeStoreContract("SQLite file", () => `sqlite:${join(dir, `db-${++files}`, "larkgate.db")}`);
describeStoreContract("SQLite in memory", () => "sqlite::memory:", { persistent: false });
// Not shared: better-sqlite3 waits for another connection's lock synchronously, so two stores
// of one process on one file would block each other; replicas need PostgreSQL anyway.
describeLimitsContract("SQLite file", () => `sqlite:${join(dir, `db-${++files}`, "larkgate.db")}`);
describeLimitsContract("SQLite in memory", () => "sqlite::memory:");
