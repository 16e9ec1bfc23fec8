import { type Kysely, type Selectable, sql } from "kysely";
import type { Dialect } from "./database.js";
import { immediateTransaction } from "./immediate-transaction.js";
import { bucketReadyAt, nextWindowStart, refilled, windowStart } from "./limit-windows.js";
import type { Database, LimitCountersTable } from "./schema.js";
import type { Admission, LimitReading, LimitRule, Settlement, Store } from "./store.js";

export type LimitCounters = Pick<Store, "admit" | "readLimits" | "grantLimit">;

type CounterRow = Selectable<LimitCountersTable>;

/** Thrown inside the admission transaction to roll back what it took. */
class Refused extends Error {
  constructor(readonly admission: Admission & { admitted: false }) {
    super("refused");
  }
}

/** Budgets and token buckets, counted in `limit_counters`; see the `Store` port's contract. */
export function createLimitCounters(db: Kysely<Database>, dialect: Dialect): LimitCounters {
  /** Runs `fn` with the counters' rows locked (PostgreSQL) or the write lock held (SQLite). */
  const locked = <T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> =>
    dialect === "sqlite" ? immediateTransaction(db, fn) : db.transaction().execute(fn);

  return {
    async admit(request) {
      try {
        return await locked(async (trx) => {
          const now = await storeNow(trx, dialect);
          if (request.notAfter !== undefined && now >= request.notAfter) {
            return { admitted: false, now, refused: "expired" } as const;
          }
          if (request.onceKey !== undefined && !(await firstTime(trx, request.onceKey, now))) {
            return { admitted: true, now, held: [] };
          }
          const rules = [...request.rules].sort((a, b) => (a.key < b.key ? -1 : 1));
          if (rules.length === 0) return { admitted: true, now, held: [] };
          const rows = await lockRows(trx, dialect, rules, now);
          const refusals: { key: string; resetsAt: number }[] = [];
          const next: CounterRow[] = [];
          for (const rule of rules) {
            const row = current(rule, rows.get(rule.key), now);
            if (rule.kind === "bucket") {
              if (row.used < 1) {
                refusals.push({
                  key: rule.key,
                  resetsAt: bucketReadyAt(row.used, now, rule.perMinute),
                });
              }
              // Never back: a transaction that read the clock before waiting for the lock must
              // not move the refill time behind the one it waited for, which would refill twice.
              next.push({
                ...row,
                used: row.used - 1,
                updated_at: Math.max(now, Number(row.updated_at)),
              });
            } else {
              if (row.used >= rule.limit + row.granted) {
                refusals.push({ key: rule.key, resetsAt: nextWindowStart(now, rule.window) });
              }
              next.push({ ...row, used: row.used + rule.reserve, updated_at: now });
            }
          }
          if (refusals.length > 0) {
            const last = refusals.reduce((a, b) => (b.resetsAt > a.resetsAt ? b : a));
            throw new Refused({ admitted: false, now, refused: "limit", ...last });
          }
          await writeRows(trx, next);
          const written = new Map(next.map((row) => [row.key, row]));
          const held = rules.flatMap((rule) =>
            rule.kind === "budget"
              ? [
                  {
                    key: rule.key,
                    windowStart: Number(written.get(rule.key)?.window_start),
                    delta: rule.reserve,
                  },
                ]
              : [],
          );
          return { admitted: true, now, held };
        });
      } catch (error) {
        if (error instanceof Refused) return error.admission;
        throw error;
      }
    },

    async readLimits(rules) {
      const now = await storeNow(db, dialect);
      const keys = rules.map((rule) => rule.key);
      const rows =
        keys.length === 0
          ? []
          : await db.selectFrom("limit_counters").selectAll().where("key", "in", keys).execute();
      const byKey = new Map(rows.map((row) => [row.key, row]));
      return { now, readings: rules.map((rule) => reading(rule, byKey.get(rule.key), now)) };
    },

    async grantLimit(rule, amount) {
      return locked(async (trx) => {
        const now = await storeNow(trx, dialect);
        const rows = await lockRows(trx, dialect, [rule], now);
        const row = current(rule, rows.get(rule.key), now);
        const granted = Math.max(0, row.granted + amount);
        await trx
          .updateTable("limit_counters")
          .set({
            window_start: row.window_start,
            used: row.used,
            granted,
            estimated: row.estimated,
          })
          .where("key", "=", rule.key)
          .execute();
        return reading(rule, { ...row, granted }, now);
      });
    },
  };
}

/**
 * Adds each settlement to its budget, if the budget still counts the window it was reserved
 * in (a question answered just after midnight does not charge the new day). Called inside the
 * transaction that records the answer.
 */
export async function applySettlements(
  trx: Kysely<Database>,
  settle: readonly Settlement[],
): Promise<void> {
  const changes = settle.filter((s) => s.delta !== 0 || s.estimated);
  if (changes.length === 0) return;
  const by = (value: (s: Settlement) => number) =>
    sql<number>`case key ${sql.join(
      changes.map((s) => sql`when ${s.key} then cast(${value(s)} as double precision)`),
      sql` `,
    )} else 0 end`;
  // One statement for all of them: it runs in the transaction that records the answer.
  await trx
    .updateTable("limit_counters")
    .set((eb) => ({
      used: eb(
        "used",
        "+",
        by((s) => s.delta),
      ),
      estimated: eb(
        "estimated",
        "+",
        by((s) => s.estimated ?? 0),
      ),
    }))
    .where((eb) =>
      eb.or(
        changes.map((s) => eb.and([eb("key", "=", s.key), eb("window_start", "=", s.windowStart)])),
      ),
    )
    .execute();
}

/**
 * The store's clock. On PostgreSQL the database's, which every replica shares, so a replica
 * whose own clock runs ahead or behind can neither open a window early nor refill a bucket
 * twice; SQLite is one machine's file, and that machine's clock.
 */
async function storeNow(db: Kysely<Database>, dialect: Dialect): Promise<number> {
  if (dialect === "sqlite") return Date.now();
  const { rows } = await sql<{
    now: number | string;
  }>`select floor(extract(epoch from clock_timestamp()) * 1000)::int8 as now`.execute(db);
  return Number(rows[0]?.now);
}

/** Records the once-key; false when it was recorded already. */
async function firstTime(trx: Kysely<Database>, key: string, now: number): Promise<boolean> {
  const result = await trx
    .insertInto("dedup_keys")
    .values({ key, created_at: now })
    .onConflict((oc) => oc.column("key").doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/**
 * Reads the rows of `rules`, creating the missing ones, in one statement that also locks them
 * (an upsert locks the row it conflicts with, on PostgreSQL until the transaction ends; SQLite
 * holds its write lock already). The values go in key order, and every admission sorts its
 * rules, so two admissions lock in the same order and never deadlock. Creating and locking in
 * one go matters there: `FOR UPDATE` cannot lock a row that does not exist yet, and two first
 * admissions would otherwise both read "nothing used".
 */
async function lockRows(
  trx: Kysely<Database>,
  _dialect: Dialect,
  rules: readonly LimitRule[],
  now: number,
): Promise<Map<string, CounterRow>> {
  const sorted = [...rules].sort((a, b) => (a.key < b.key ? -1 : 1));
  const rows = await trx
    .insertInto("limit_counters")
    .values(sorted.map((rule) => fresh(rule, now)))
    // A no-op update, so that RETURNING gives the existing row too, and locks it.
    .onConflict((oc) => oc.column("key").doUpdateSet((eb) => ({ key: eb.ref("excluded.key") })))
    .returningAll()
    .execute();
  return new Map(rows.map((row) => [row.key, row]));
}

/** Writes the new state of several rows in one statement. */
async function writeRows(trx: Kysely<Database>, rows: readonly CounterRow[]): Promise<void> {
  if (rows.length === 0) return;
  const column = (name: keyof CounterRow, type: "double precision" | "bigint") =>
    sql`case key ${sql.join(
      rows.map((row) => sql`when ${row.key} then cast(${row[name]} as ${sql.raw(type)})`),
      sql` `,
    )} end`;
  await trx
    .updateTable("limit_counters")
    .set({
      window_start: column("window_start", "bigint") as never,
      used: column("used", "double precision") as never,
      granted: column("granted", "double precision") as never,
      estimated: column("estimated", "double precision") as never,
      updated_at: column("updated_at", "bigint") as never,
    })
    .where(
      "key",
      "in",
      rows.map((row) => row.key),
    )
    .execute();
}

function fresh(rule: LimitRule, now: number): CounterRow {
  return rule.kind === "bucket"
    ? {
        key: rule.key,
        window_start: 0,
        used: rule.capacity,
        granted: 0,
        estimated: 0,
        updated_at: now,
      }
    : {
        key: rule.key,
        window_start: windowStart(now, rule.window),
        used: 0,
        granted: 0,
        estimated: 0,
        updated_at: now,
      };
}

/**
 * The row as of `now`: a bucket refilled, a budget's window moved on (an old window's use and
 * grants no longer count). For a bucket `used` is its level, the requests it holds.
 */
function current(rule: LimitRule, row: CounterRow | undefined, now: number): CounterRow {
  if (row === undefined) return fresh(rule, now);
  if (rule.kind === "bucket") {
    return { ...row, used: refilled(Number(row.used), Number(row.updated_at), now, rule) };
  }
  // A window newer than `now`'s was opened by a transaction that read the clock after this one
  // did (just past midnight): it is the current one, not to be reset.
  return Number(row.window_start) >= windowStart(now, rule.window) ? row : fresh(rule, now);
}

function reading(rule: LimitRule, row: CounterRow | undefined, now: number): LimitReading {
  const at = current(rule, row, now);
  if (rule.kind === "bucket") {
    const level = at.used;
    const fullAt =
      now + Math.ceil(((rule.capacity - level) * 60_000) / Math.max(rule.perMinute, 1e-9));
    return {
      key: rule.key,
      used: rule.capacity - level,
      granted: 0,
      estimated: 0,
      resetsAt: fullAt,
    };
  }
  return {
    key: rule.key,
    used: Number(at.used),
    granted: Number(at.granted),
    estimated: Number(at.estimated),
    resetsAt: nextWindowStart(now, rule.window),
  };
}
