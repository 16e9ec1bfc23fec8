import type { LimitWindow } from "./limit-windows.js";

/**
 * The storage port. One implementation on Kysely serves SQLite (default) and PostgreSQL;
 * every method states its atomicity, because several workers (and, on PostgreSQL, several
 * replicas) call it at once. Times are epoch milliseconds.
 */

/** A job kind's stored name; the kinds and their payloads are intake's (`intake/job-kind.ts`). */
export type JobKind = string;
export type JobStatus = "queued" | "running" | "done" | "failed";

export interface NewJob {
  botId: string;
  kind: JobKind;
  /** Jobs of one conversation run one at a time, in `id` order. */
  conversationKey: string;
  /** JSON-serialisable payload (an InboundMessage, or a card action). */
  payload: unknown;
}

export interface Job extends NewJob {
  id: number;
  status: JobStatus;
  attempts: number;
  /** Who holds the job while it runs, and until when. */
  leaseOwner: string | null;
  leaseUntil: number | null;
  createdAt: number;
  error: string | null;
  /** What `recordDelivery` saved for this job (its live answer card), if anything. */
  delivery: unknown;
}

/** A file waiting for a question: the message it came in, its key and its name. */
export interface PendingFile {
  messageId: string;
  key: string;
  name: string;
}

/** A workflow waiting for its user, as the press that answers it finds it. */
export interface NewWorkflowPause {
  id: string;
  botId: string;
  conversationKey: string;
  /** The conversation's generation when it paused: a Reset makes the pause out of date. */
  generation: number;
  chatId: string;
  /** The question whose answer paused. */
  messageId: string;
  /** Who asked: the only one who may answer. */
  ownerOpenId: string;
  /** The pause as the backend described it (JSON-serialisable). */
  spec: unknown;
  createdAt: number;
  expiresAt: number;
}

export interface StoredWorkflowPause extends NewWorkflowPause {
  status: "pending" | "answered" | "closed";
  answeredBy: string | null;
}

export interface ConversationState {
  botId: string;
  conversationKey: string;
  /** Bumped by Reset; history only includes exchanges of the current generation. */
  generation: number;
  /** Backend-owned state (Dify conversation_id, FastGPT chatId suffix…). */
  backendState: Record<string, string>;
  /** What users chose for this conversation (role, answer style, model); a Reset keeps it. */
  settings: Record<string, string>;
}

export interface UsageFilter {
  botId: string;
  /** Exchanges recorded at or after this time. */
  since: number;
  conversationKey?: string;
  senderOpenId?: string;
}

export interface Usage {
  /** Exchanges that reached the model (stopped ones included, failed ones not). */
  answers: number;
  /** Prompt plus completion tokens, as the backends reported them. */
  tokens: number;
}

export interface PruneOptions {
  /** Rows per statement (default 2000). */
  batch?: number;
  /** Count what would go, delete nothing. */
  dryRun?: boolean;
}

export interface ChatLogPruneOptions extends PruneOptions {
  /** Only these bots' exchanges. */
  onlyBots?: readonly string[];
  /** Not these bots' exchanges (they have a retention of their own). */
  exceptBots?: readonly string[];
}

/** A job as one run holds it: its id and the owner token the run claimed it under. */
export interface JobHold {
  jobId: number;
  owner: string;
}

/**
 * `recordExchange(…, finishing)` found the job no longer held by that run (another run took
 * it over): nothing was recorded, and the job is the other run's.
 */
export class JobNotHeldError extends Error {
  constructor(readonly jobId: number) {
    super(`job ${jobId} is no longer held by this run; its answer is not recorded`);
    this.name = "JobNotHeldError";
  }
}

export interface NewExchange {
  botId: string;
  conversationKey: string;
  generation: number;
  chatId: string;
  senderOpenId: string;
  /** The user's Lark message this exchange answers. */
  messageId: string;
  question: string;
  /** Final answer text (partial when stopped; empty on error). */
  answer: string;
  /** Reasoning text, kept for the log only: never sent back as history. */
  reasoning?: string;
  model: string;
  promptTokens?: number | null;
  completionTokens?: number | null;
  latencyMs: number;
  /** Short error code/message when the exchange failed; failed exchanges are not history. */
  error?: string | null;
  /** `done`, `stopped`, `error`. */
  status: "done" | "stopped" | "error";
  /** Lark message id of the answer (first card/post), when one was sent. */
  answerMessageId?: string | null;
}

export interface Exchange extends NewExchange {
  id: number;
  /** False once superseded (Regenerate) or when it failed. */
  inHistory: boolean;
  createdAt: number;
}

/**
 * What history replays of an exchange. Only these columns are read: the reasoning in
 * particular can be many KB and is never sent back.
 */
export type HistoryExchange = Pick<Exchange, "id" | "question" | "answer">;

export interface HistoryPage {
  limit: number;
  /** Only exchanges with an id below this: the oldest of the previous page. */
  beforeId?: number;
}

export interface ExchangeFilter {
  botId?: string;
  chatId?: string;
  senderOpenId?: string;
  conversationKey?: string;
  since?: number;
  until?: number;
  /** Only exchanges with id greater than this (for `logs --follow`). */
  afterId?: number;
  limit?: number;
}

export interface ChatLogQuery {
  botId?: string;
  chatId?: string;
  senderOpenId?: string;
  conversationKey?: string;
  since?: number;
  until?: number;
  errorsOnly?: boolean;
  text?: string;
  beforeId?: number;
  limit: number;
}

export interface UsageDay {
  botId: string;
  model: string;
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  answers: number;
  errors: number;
  tokens: number;
  /** Of answered (not failed) exchanges. */
  p50LatencyMs: number;
  p95LatencyMs: number;
}

/**
 * A token bucket: at most `capacity` requests at once, refilled at `perMinute` (a per-minute
 * rate limit that lets a short burst through and smooths the rest).
 */
export interface BucketRule {
  kind: "bucket";
  /** The counter's name, e.g. `rpm:user:<bot>:<open_id>`; the caller's scheme. */
  key: string;
  capacity: number;
  perMinute: number;
}

/** A budget per day or month: admitted while what the window used is below limit + grants. */
export interface BudgetRule {
  kind: "budget";
  key: string;
  window: LimitWindow;
  limit: number;
  /** Taken at admission (1 question, the question's estimated tokens…); settled afterwards. */
  reserve: number;
}

export type LimitRule = BucketRule | BudgetRule;

export interface AdmitRequest {
  rules: readonly LimitRule[];
  /**
   * Admits once: a later call with the same key (the job's retry after a crash) is admitted
   * without taking anything again, since the first call's reservation stands.
   */
  onceKey?: string;
  /** Refused as expired from this time (the store's clock) on. */
  notAfter?: number;
}

/** A change to a budget's window, made when the answer is recorded (actual minus reserved). */
export interface Settlement {
  key: string;
  windowStart: number;
  delta: number;
  /** How much of what is added was estimated, the backend having reported no usage. */
  estimated?: number;
}

export type Admission =
  | {
      admitted: true;
      /** The store's clock at admission. */
      now: number;
      /** What was reserved per budget, for the settlement. */
      held: Settlement[];
    }
  | { admitted: false; now: number; refused: "expired" }
  | {
      admitted: false;
      now: number;
      refused: "limit";
      /** The rule that refused (of several, the one that clears last). */
      key: string;
      /** When it admits again (the store's clock). */
      resetsAt: number;
    };

/** Where a rule stands now. */
export interface LimitReading {
  key: string;
  /** Budgets: used in the current window; buckets: requests taken from a full bucket. */
  used: number;
  /** Budgets: one-off extensions of this window. */
  granted: number;
  /** Of `used`, how much was estimated (the backend reported no usage). */
  estimated: number;
  /** Budgets: where the next window starts; buckets: when the bucket is full again. */
  resetsAt: number;
}

export interface Store {
  readonly dialect: "sqlite" | "postgres";

  /**
   * Atomically: record every dedup key (e.g. `event:<event_id>`, `message:<message_id>`) and
   * enqueue the job. If any key was already recorded (by any replica, ever within the dedup
   * retention), nothing is written and `duplicate` is returned.
   */
  acceptJob(job: NewJob, dedupKeys: string[], now?: number): Promise<"accepted" | "duplicate">;

  /**
   * Atomically claim the oldest queued job whose conversation has no other job running under
   * a live lease, or a running job whose lease expired (its owner died). Sets status running,
   * lease owner/until, attempts+1. Two concurrent callers never get the same job, and never
   * two jobs of one conversation at once. With `caps` (bot id → N), never more than N running
   * jobs of that bot at once, across replicas; its other jobs wait, oldest first.
   */
  claimJob(
    owner: string,
    leaseMs: number,
    now?: number,
    options?: {
      /** Jobs the caller's runs hold: never claimed back by it, whatever its clock says. */
      exclude?: readonly number[];
      /** Bot id → at most this many of its jobs running at once, across replicas. */
      caps?: Readonly<Record<string, number>>;
    },
  ): Promise<Job | undefined>;

  /**
   * Extends, in one statement, each lease in `leases` that its run still holds (the job is
   * running under that owner) and returns the job ids extended. Claims write a fresh owner per
   * run, so a lease that expired is extended only if nobody claimed the job since; one that
   * was taken over is refused, and its old run knows it must stop (see lease-fence.ts).
   */
  renewLeases(
    leases: ReadonlyArray<{ jobId: number; owner: string }>,
    leaseMs: number,
    now?: number,
  ): Promise<number[]>;

  /** Finish a job this owner holds. Returns false if the lease was lost meanwhile. */
  finishJob(
    jobId: number,
    owner: string,
    outcome: "done" | "failed",
    error?: string,
  ): Promise<boolean>;

  getJob(jobId: number): Promise<Job | undefined>;

  /** Remembers where a running job shows its answer; only while this owner holds it. */
  recordDelivery(jobId: number, owner: string, delivery: unknown): Promise<void>;

  /**
   * Records a marker (e.g. `recalled:<bot>:<message id>`) that outlives restarts and is seen by
   * every replica; kept, like dedup keys, for the dedup retention. Recording it twice is fine.
   */
  rememberKey(key: string, now?: number): Promise<void>;

  /** Whether a marker or dedup key is recorded. */
  hasKey(key: string): Promise<boolean>;

  /**
   * Deletes dedup keys and finished jobs older than the cutoff, `batch` rows per statement
   * with a pause between, so that intake's commits go on meanwhile. With `dryRun`, only counts.
   */
  prune(olderThan: number, options?: PruneOptions): Promise<{ dedupKeys: number; jobs: number }>;

  /** Jobs waiting and running, and when the oldest waiting one was stored (for metrics). */
  jobCounts(): Promise<{
    queued: number;
    running: number;
    /** Of the queued, those behind a running job of their conversation. */
    waiting: number;
    oldestQueuedAt?: number;
  }>;

  /** One round trip to the database; throws when it cannot be reached (for readiness). */
  ping(): Promise<void>;

  /** The conversation's state, created at generation 1 on first use. */
  getConversation(botId: string, conversationKey: string): Promise<ConversationState>;

  /**
   * Start a new history: generation+1 and backend state cleared; settings stay. Returns the
   * new state.
   */
  resetConversation(botId: string, conversationKey: string): Promise<ConversationState>;

  /** Merge keys into the backend state of the conversation. */
  updateBackendState(
    botId: string,
    conversationKey: string,
    patch: Record<string, string>,
  ): Promise<void>;

  /**
   * Merge keys into the conversation's settings, atomically; a `null` value removes its key.
   */
  updateSettings(
    botId: string,
    conversationKey: string,
    patch: Record<string, string | null>,
  ): Promise<void>;

  /**
   * Keep files sent without a question for the conversation's next question. Rows older than
   * `expireBefore` in that conversation are deleted on the way.
   */
  holdFiles(
    botId: string,
    conversationKey: string,
    files: readonly PendingFile[],
    options: { now?: number; expireBefore: number },
  ): Promise<void>;

  /**
   * The files waiting in a conversation since `notBefore`, oldest first, marked as taken by
   * `takenBy` (the question's message id) in the same transaction, so only one question gets them.
   */
  takeHeldFiles(
    botId: string,
    conversationKey: string,
    takenBy: string,
    notBefore: number,
  ): Promise<PendingFile[]>;

  /** The files a question took (for Regenerate), oldest first. */
  filesTakenBy(botId: string, messageId: string): Promise<PendingFile[]>;

  /**
   * Deletes (or, dry, counts) file rows of every conversation: those never taken that were held
   * before `waitingBefore`, and those a question took before `takenBefore`. Returns the count.
   */
  prunePendingFiles(
    waitingBefore: number,
    takenBefore: number,
    options?: PruneOptions,
  ): Promise<number>;
  /** Keeps a workflow's pause until it is answered; saving the same id again changes nothing. */
  savePause(pause: NewWorkflowPause): Promise<void>;

  getPause(botId: string, id: string): Promise<StoredWorkflowPause | undefined>;

  /**
   * Marks a pending pause answered by `by`, in one statement: true for the one caller that
   * changed it, false when it was no longer pending.
   */
  answerPause(botId: string, id: string, by: string): Promise<boolean>;

  /**
   * Closes the conversation's pending pauses (its next question answers the workflow instead)
   * except `keep`; returns how many it closed.
   */
  closePauses(botId: string, conversationKey: string, keep?: string): Promise<number>;

  /** Deletes pauses that expired before `olderThan`; returns how many (would) go. */
  prunePauses(olderThan: number, options?: PruneOptions): Promise<number>;

  /** Answers and tokens recorded for a bot since a time, narrowed by conversation or sender. */
  usage(filter: UsageFilter): Promise<Usage>;

  /**
   * Append to the chat log. Exchanges with status `error` are stored but not in history. With
   * `finishing`, the same transaction marks that job done, and records nothing (throwing
   * JobNotHeldError) unless the run still holds it: an answer is in the history exactly when
   * its job is finished, so a run killed between the two cannot leave it answered twice.
   */
  recordExchange(
    exchange: NewExchange,
    now?: number,
    finishing?: JobHold,
    /** Budget settlements, applied in the same transaction (see `admit`). */
    settle?: readonly Settlement[],
  ): Promise<Exchange>;

  /**
   * Checks a question against its limits and, only if every one admits it, takes what each
   * rule asks (a request from each bucket, the reservation from each budget), all in one
   * transaction that serialises with every other admission of the same counters (row locks on
   * PostgreSQL, the write lock on SQLite): two replicas racing for a budget's last unit admit
   * exactly one. Windows and refills use the store's clock (the database's on PostgreSQL), so
   * replicas whose clocks disagree still count one window.
   */
  admit(request: AdmitRequest): Promise<Admission>;

  /** Where each rule stands, without taking anything; and the store's clock. */
  readLimits(rules: readonly LimitRule[]): Promise<{ now: number; readings: LimitReading[] }>;

  /** Adds a one-off extension to a budget's current window (a negative amount takes it back). */
  grantLimit(rule: BudgetRule, amount: number): Promise<LimitReading>;

  /**
   * The in-history exchanges of this conversation generation, newest first: the most recent
   * `page.limit`, or with `page.beforeId` the most recent older than that id, so a caller can
   * page back without reading a row twice. Must stay fast however many rows the store holds
   * (an index range scan).
   */
  loadHistory(
    botId: string,
    conversationKey: string,
    generation: number,
    page: HistoryPage,
  ): Promise<HistoryExchange[]>;

  /** Take an exchange out of history (Regenerate replaces it). */
  supersedeExchange(id: number): Promise<void>;

  getExchange(id: number): Promise<Exchange | undefined>;

  /** Chat log query, newest last. */
  listExchanges(filter: ExchangeFilter): Promise<Exchange[]>;

  /**
   * The console's chat log: newest first, `limit` rows, below `beforeId` for the next page;
   * `text` matches questions and answers as a case-insensitive substring.
   */
  searchChatLog(query: ChatLogQuery): Promise<Exchange[]>;

  /** Answers, errors, tokens and latency per bot, model and UTC day since a time. */
  usageByDay(since: number): Promise<UsageDay[]>;

  /**
   * Deletes chat-log exchanges recorded before the cutoff (retention), `batch` rows per
   * statement so a large first prune never holds the write lock for long. Returns how many.
   */
  pruneChatLog(olderThan: number, options?: ChatLogPruneOptions): Promise<number>;

  /**
   * Cross-replica signals (PostgreSQL LISTEN/NOTIFY); absent on SQLite, where one process
   * owns the database.
   */
  readonly signals?: StoreSignals;

  close(): Promise<void>;
}

export interface StoreSignals {
  /** Tells every replica to stop the answer to this message, wherever it runs. */
  publishStop(botId: string, messageId: string): Promise<void>;
  /** Called for every stop published by any replica (this one included). */
  onStop(listener: (botId: string, messageId: string) => void): void;
}
