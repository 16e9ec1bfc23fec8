import type { PictureData } from "../backends/picture-maker.js";
import type { JobRun } from "../intake/job-run.js";
import type { AnswerFinal, AnswerSnapshot } from "../messages/answer.js";
import type { InfoCard } from "../messages/info-card.js";

/**
 * What the conversation logic needs from the outside world, as plain interfaces, so this
 * folder imports no Lark SDK and no HTTP framework (lark/outbound implements them).
 */

/** Where an answer goes: the user's message it replies to. */
export interface ReplyTarget {
  botId: string;
  chatId: string;
  /** The user's message; answers use the Reply API on it. */
  messageId: string;
  /** The user wrote inside a topic: keep the answer in that topic. */
  inThread: boolean;
  /**
   * Stable across re-runs of the same job (Lark's `uuid` idempotency key), so a retried job
   * does not post a second answer.
   */
  idempotencyKey: string;
}

/** One answer being produced: created, fed snapshots as text arrives, then finished. */
export interface AnswerSink {
  /**
   * Called as the LLM call begins (typing indicator, placeholder card…); snapshots may arrive
   * before it resolves, `finish` only after. Never throws.
   */
  start(): Promise<void>;
  /** The full answer so far; the sink decides how often to show it. Never throws. */
  update(snapshot: AnswerSnapshot): void;
  /** Shows the final state. Throws only when the answer could not be delivered at all. */
  finish(final: AnswerFinal): Promise<{ messageId?: string }>;
}

export interface AnswerContext {
  /** Identifies the exchange for toolbar buttons (Stop / Regenerate / New chat). */
  conversationKey: string;
  run: JobRun;
  /**
   * The question was a voice message and these are the words heard: the answer shows them
   * first, so the person sees what the bot understood.
   */
  heard?: string;
  /**
   * Hosts the answer's pictures and files may be fetched from although they are on a private
   * network (the app's `pictureHosts`): the operator's own servers.
   */
  pictureHosts?: readonly string[];
}

/** One answer's figures, for the gateway's metrics; nothing of its text. */
export interface AnswerFigures {
  botId: string;
  app: string;
  /** `done`, `stopped`, or the error code (`timeout`, `rate_limited`, `delivery_failed`…). */
  outcome: string;
  /** From the model call to its first text; absent when no text came. */
  firstTextMs?: number;
  /** From the model call to the end of the answer. */
  totalMs: number;
  promptTokens?: number;
  completionTokens?: number;
}

/** Told about every answer once it is recorded. */
export type AnswerObserver = (figures: AnswerFigures) => void;

export interface Replier {
  /** A short text reply (Reset confirmation, unsupported message type…). */
  notice(target: ReplyTarget, text: string): Promise<void>;
  /** A card sent to a chat on its own (the welcome); `key` makes a retry send it once. */
  sendCard(chatId: string, card: InfoCard, key: string): Promise<void>;
  /**
   * A card answering a command (help, a confirmation, a list to pick from): one per message,
   * or one per `key` when a message gets several (a workflow that pauses twice).
   */
  card(target: ReplyTarget, card: InfoCard, key?: string): Promise<void>;
  openAnswer(target: ReplyTarget, context: AnswerContext): AnswerSink;
  /**
   * A picture made for the user: `make` draws it (the channel shows that something is under
   * way meanwhile), then it is shown in the card `cardFor` describes once the channel holds
   * it (its reference goes into the card's buttons). One per `idempotencyKey`. Throws what
   * `make` threw, or a delivery failure.
   */
  picture<P extends PictureData>(
    target: ReplyTarget,
    make: () => Promise<P>,
    cardFor: (ref: string, picture: P) => InfoCard,
  ): Promise<void>;
}
