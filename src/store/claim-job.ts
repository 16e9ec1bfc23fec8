import { type Kysely, type RawBuilder, sql } from "kysely";
import type { Dialect } from "./database.js";
import { immediateTransaction } from "./immediate-transaction.js";
import type { JobRow } from "./rows.js";
import type { Database } from "./schema.js";

/**
 * First key of the two-int advisory locks that serialise work on one conversation on
 * PostgreSQL (claiming, and enqueueing so ids follow commit order). Arbitrary; differs from
 * the migration lock space.
 */
const CONVERSATION_LOCK_SPACE = 0x4c4b4702;

/**
 * A claim that loses a race for a conversation retries with a fresh look, because the queue
 * may still hold work for other conversations. Bounded: each loss means another worker just
 * made progress.
 */
const PG_CLAIM_ATTEMPTS = 5;

/**
 * A lease runs at most JOB_LEASE_MS (an hour at most) from when it was set. One that ends
 * further ahead than this was set before the clock jumped back (an NTP step, a VM restored):
 * its owner is not to be trusted for hours, so it counts as expired. Only a clock that jumped
 * back by more than this can be that far ahead; a live lease, renewed every second, never is.
 */
export const LEASE_FROM_THE_FUTURE_MS = 2 * 60 * 60 * 1000;

/**
 * The clock that leases are set and read with. On PostgreSQL, the database's own
 * (clock_timestamp(), in epoch milliseconds): replicas whose clocks disagree, or one whose
 * clock jumps by hours, would otherwise steal each other's live jobs or keep a dead one's for
 * hours. On SQLite, one machine's clock, which the caller passes. Tests pass `now` on both.
 */
export type LeaseClock = number | RawBuilder<number>;

/** `clock + ms` in SQL (the cast lets PostgreSQL type two bound numbers). */
export function leaseTime(clock: LeaseClock, ms: number) {
  return sql<number>`cast(${clock} as bigint) + ${ms}`;
}

export function leaseClock(dialect: Dialect, now: number | undefined): LeaseClock {
  if (now !== undefined) return now;
  if (dialect === "postgres")
    return sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint`;
  return Date.now();
}

/**
 * Whether job `j` may be claimed at `now`: it is queued, or running under an expired lease
 * (its owner died); no older job of its conversation is unfinished (per-conversation order);
 * and no other job of its conversation runs under a live lease (one turn at a time).
 */
/** What a claim leaves alone besides what is not claimable. */
export interface ClaimOptions {
  /** Jobs the caller's runs hold: never claimed back by it, whatever its clock says. */
  exclude?: readonly number[];
  /** Bot id → at most this many of its jobs running at once (`limits.concurrency`). */
  caps?: BotCaps;
}

/** Bot id → at most this many of its jobs running at once (`limits.concurrency`). */
export type BotCaps = Readonly<Record<string, number>>;

function claimable(now: LeaseClock, options: ClaimOptions) {
  const exclude = options.exclude ?? [];
  const expired = sql`(j.lease_until < ${now} or j.lease_until > ${leaseTime(now, LEASE_FROM_THE_FUTURE_MS)})`;
  // The jobs this worker's runs hold are never claimed back by it, whatever its clock says.
  const notHeld =
    exclude.length === 0
      ? sql`true`
      : sql`j.id not in (${sql.join(exclude.map((id) => sql`${id}`))})`;
  return sql<boolean>`(j.status = 'queued' or (j.status = 'running' and ${expired} and ${notHeld}))
    and ${underCap(now, options.caps ?? {})}
    and not exists (
      select 1 from jobs o
      where o.bot_id = j.bot_id and o.conversation_key = j.conversation_key
        and o.id < j.id and o.status in ('queued', 'running'))
    and not exists (
      select 1 from jobs r
      where r.bot_id = j.bot_id and r.conversation_key = j.conversation_key
        and r.id <> j.id and r.status = 'running' and r.lease_until >= ${now}
        and r.lease_until <= ${leaseTime(now, LEASE_FROM_THE_FUTURE_MS)})`;
}

/**
 * The job's bot has fewer running jobs (under a live lease, this one aside) than its cap, or
 * no cap. Caps are whole numbers from the configuration, written as literals so PostgreSQL
 * compares them as numbers.
 */
function underCap(now: LeaseClock, caps: BotCaps) {
  const entries = Object.entries(caps);
  if (entries.length === 0) return sql<boolean>`true`;
  const cap = sql`case j.bot_id ${sql.join(
    entries.map(([bot, n]) => sql`when ${bot} then ${sql.lit(Math.max(1, Math.floor(n)))}`),
    sql` `,
  )} else null end`;
  return sql<boolean>`(${cap} is null or (
      select count(*) from jobs c
      where c.bot_id = j.bot_id and c.id <> j.id
        and c.status = 'running' and c.lease_until >= ${now}
        and c.lease_until <= ${leaseTime(now, LEASE_FROM_THE_FUTURE_MS)}) < ${cap})`;
}

/**
 * Claims the oldest claimable job, or returns undefined when there is none.
 *
 * SQLite: select and update inside one `BEGIN IMMEDIATE` transaction, which excludes every
 * other writer (threads share Kysely's one connection; processes wait on the file lock).
 *
 * PostgreSQL: `FOR UPDATE SKIP LOCKED` keeps two claimers off the same *row*, but not off
 * the same *conversation*: each tests "nothing else of this conversation runs" on its own
 * snapshot, so both could pass it for different jobs of one conversation. The "no older
 * unfinished job" test already rules out the obvious case (a sibling another claimer has
 * locked but not yet committed still reads as queued), but that argument leans on snapshot
 * timing; so, to make it hold by construction, the claimer also takes a transaction-scoped
 * advisory lock on the conversation and re-tests in the UPDATE itself. Under READ
 * COMMITTED that UPDATE reads a snapshot taken after the lock was granted, i.e. after any
 * earlier claimer of the conversation committed (PostgreSQL releases transaction locks only
 * once the commit is visible). Claims of one conversation are thus serialised and each sees
 * the others' results; a claim whose candidate is no longer claimable changes nothing and
 * retries. No deadlock: the lock is taken last, and the only row a claimer locks is its own
 * candidate, which nobody holding a conversation lock waits for (they skip locked rows).
 *
 * A bot with a cap on its running jobs (`caps`) is serialised the same way with a second lock
 * per bot, taken after the conversation's: two claimers of different conversations of one
 * capped bot would otherwise both count the bot's running jobs before the other's commit.
 */
export async function claimJob(
  db: Kysely<Database>,
  dialect: Dialect,
  owner: string,
  leaseMs: number,
  now: LeaseClock,
  options: ClaimOptions = {},
): Promise<JobRow | undefined> {
  if (dialect === "sqlite") {
    const row = await immediateTransaction(db, (conn) =>
      claimIn(conn, dialect, owner, leaseMs, now, options),
    );
    return row === "raced" ? undefined : row;
  }
  for (let attempt = 0; attempt < PG_CLAIM_ATTEMPTS; attempt++) {
    const row = await db
      .transaction()
      .execute((trx) => claimIn(trx, dialect, owner, leaseMs, now, options));
    if (row !== "raced") return row;
  }
  return undefined;
}

async function claimIn(
  trx: Kysely<Database>,
  dialect: Dialect,
  owner: string,
  leaseMs: number,
  now: LeaseClock,
  options: ClaimOptions,
): Promise<JobRow | undefined | "raced"> {
  let pick = trx
    .selectFrom("jobs as j")
    .select(["j.id", "j.bot_id", "j.conversation_key"])
    .where(claimable(now, options))
    .orderBy("j.id")
    .limit(1);
  if (dialect === "postgres") pick = pick.forUpdate().skipLocked();
  const candidate = await pick.executeTakeFirst();
  if (candidate === undefined) return undefined;

  if (dialect === "postgres") {
    await lockConversation(trx, candidate.bot_id, candidate.conversation_key);
    if (options.caps?.[candidate.bot_id] !== undefined) await lockBot(trx, candidate.bot_id);
  }
  const claimed = await trx
    .updateTable("jobs as j")
    .set((eb) => ({
      status: "running",
      attempts: eb("j.attempts", "+", 1),
      lease_owner: owner,
      lease_until: leaseTime(now, leaseMs),
      updated_at: Date.now(),
    }))
    .where("j.id", "=", candidate.id)
    .where(claimable(now, options))
    .returningAll()
    .executeTakeFirst();
  return claimed ?? "raced";
}

/** First key of the advisory locks that serialise claims of one capped bot (see claimJob). */
const BOT_LOCK_SPACE = 0x4c4b4703;

async function lockBot(trx: Kysely<Database>, botId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(${sql.lit(BOT_LOCK_SPACE)}, hashtext(${botId}))`.execute(
    trx,
  );
}

/**
 * Holds, until the transaction ends, the PostgreSQL lock that serialises claims and enqueues
 * of one conversation. A hash collision between two conversations only costs some waiting.
 */
export async function lockConversation(
  trx: Kysely<Database>,
  botId: string,
  conversationKey: string,
): Promise<void> {
  // U+001F keeps (a, bc) and (ab, c) apart; unlike NUL, PostgreSQL text accepts it.
  const key = `${botId}\u001f${conversationKey}`;
  await sql`select pg_advisory_xact_lock(${sql.lit(CONVERSATION_LOCK_SPACE)}, hashtext(${key}))`.execute(
    trx,
  );
}
