/** The gateway's validated configuration. Produced once at start-up by a loader in this folder. */

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

export interface AppConfig {
  /** Name of the LLM app (`default` for the environment-only setup). */
  id: string;
  backend: "openai";
  /** OpenAI SDK convention: includes `/v1`. */
  baseUrl: string;
  apiKey: string;
  model: string;
  systemPrompt?: string;
  temperature?: number;
  /** Completion limit sent to the model, if set. */
  maxTokens?: number;
  /** Tokens of earlier turns sent back as history (estimated). */
  historyTokenBudget: number;
  /** Gives up on the LLM after this long without finishing. */
  timeoutMs: number;
}

export interface BotConfig {
  /** Route id: `default` answers on `/webhook/event`; others on `/webhook/<id>/event`. */
  id: string;
  appId: string;
  appSecret: string;
  encryptKey?: string;
  verificationToken?: string;
  /** Display only; mentions are matched by open_id, never by name. */
  name?: string;
  /** Base URL of the Open Platform: Feishu, Lark, or a custom one (tests). */
  domain: string;
  eventMode: "webhook" | "websocket";
  /** `mention`: answer group messages that @mention the bot; `all`: every group message. */
  groupTrigger: "mention" | "all";
  app: AppConfig;
}

export interface GatewayConfig {
  http: { host: string; port: number };
  databaseUrl: string;
  logLevel: LogLevel;
  /** How many answers the worker produces at once (different conversations). */
  workerConcurrency: number;
  bots: BotConfig[];
}
