import type { Backend } from "../backends/backend.js";
import type { Replier } from "./ports.js";

/** Everything the worker needs to answer for one bot, assembled by the composition root. */
export interface BotRuntime {
  id: string;
  groupTrigger: "mention" | "all";
  backend: Backend;
  systemPrompt?: string;
  historyTokenBudget: number;
  timeoutMs: number;
  /** The bot's own open_id (from bot info), fetched once and cached. */
  botOpenId(): Promise<string>;
  replier: Replier;
}
