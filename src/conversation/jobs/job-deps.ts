import type { Logger } from "pino";
import type { Store } from "../../store/store.js";
import type { BotRuntime } from "../bot-runtime.js";
import type { AnswerObserver } from "../ports.js";
import type { RunningAnswers } from "../running-answers.js";

/** What the conversation's job kinds share, wired once by the gateway. */
export interface ConversationJobDeps {
  /** The bot's current runtime (a reload replaces it); undefined once it is unconfigured. */
  bot(botId: string): BotRuntime | undefined;
  store: Store;
  running: RunningAnswers;
  /** Messages older than this when their turn comes are not answered; 0 answers all. */
  staleAfterMs(): number;
  /**
   * The clock a message's age is judged by: Lark's (its `create_time` is Lark's), which the
   * gateway knows apart from this machine's (lark/lark-clock.ts). Default: the machine's.
   */
  now?: () => number;
  /** Told about every answer (the gateway's metrics). */
  observe?: AnswerObserver;
}

/** The job's bot, or a log line saying why the job is skipped. */
export function botForJob(
  deps: ConversationJobDeps,
  botId: string,
  logger: Logger,
): BotRuntime | undefined {
  const bot = deps.bot(botId);
  if (!bot) logger.warn("job for a bot that is no longer configured; skipped");
  return bot;
}
