/** The gateway's validated configuration. Produced once at start-up by a loader in this folder. */

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

interface AppCommon {
  /** Name of the LLM app (`default` for the environment-only setup). */
  id: string;
  apiKey: string;
  systemPrompt?: string;
  /** Tokens of earlier turns sent back as history (estimated; gateway-kept history only). */
  historyTokenBudget: number;
  /** Gives up on the LLM after this long without finishing. */
  timeoutMs: number;
  /** Extra variables passed to backends that take them (FastGPT `variables`, Dify `inputs`). */
  variables?: Record<string, string>;
  /**
   * The app reads images: pictures users send go with their question (inline for OpenAI-
   * compatible models; as links to larkgate, which need `publicUrl`, for FastGPT and Dify).
   */
  vision?: boolean;
}

export interface OpenAiAppConfig extends AppCommon {
  backend: "openai";
  /** OpenAI SDK convention: includes `/v1`. */
  baseUrl: string;
  model: string;
  temperature?: number;
  /** Completion limit sent to the model, if set. */
  maxTokens?: number;
}

export interface FastGptAppConfig extends AppCommon {
  backend: "fastgpt";
  /** FastGPT server root, e.g. `https://cloud.fastgpt.cn` (the API path is appended). */
  baseUrl: string;
}

export interface DifyAppConfig extends AppCommon {
  backend: "dify";
  /** Dify API root, e.g. `https://api.dify.ai` (the `/v1/...` path is appended). */
  baseUrl: string;
}

export type AppConfig = OpenAiAppConfig | FastGptAppConfig | DifyAppConfig;

/** Per-chat exceptions to a bot's defaults. */
export interface ChatOverride {
  app?: AppConfig;
  systemPrompt?: string;
}

/** Who may talk to a bot. Empty allow lists mean everyone; deny always wins. */
export interface AccessPolicy {
  allowChats: string[];
  denyChats: string[];
  allowUsers: string[];
  denyUsers: string[];
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
  access?: AccessPolicy;
  /** How answers are shown: streamed via CardKit (default), PATCHed cards, or all at once. */
  answerMode?: "cardkit" | "patch" | "final";
  /** Model and elapsed time under each answer (default on). */
  footer?: boolean;
  /** chat_id → override. */
  chatOverrides?: Record<string, ChatOverride>;
}

export interface GatewayConfig {
  http: { host: string; port: number };
  databaseUrl: string;
  logLevel: LogLevel;
  /** How many answers the worker produces at once (different conversations). */
  workerConcurrency: number;
  /**
   * A message older than this when its turn comes is not answered (0: always answer). After
   * downtime Lark re-pushes for up to ~7 h; a bot answering hour-old questions confuses people.
   */
  staleMessageMinutes: number;
  /** Chat-log exchanges older than this many days are deleted (0: kept forever). */
  chatLogRetentionDays: number;
  /**
   * A running job whose replica stops renewing its lease (crash, kill -9) is taken over by
   * another replica after this long. Default 60 s.
   */
  jobLeaseMs?: number;
  /** Bearer token for `/admin/*`; without it the admin routes answer 404. */
  adminToken?: string;
  /** HTTPS_PROXY or HTTP_PROXY is set: Lark calls must go through a transport that uses it. */
  outboundProxy?: boolean;
  /**
   * Where FastGPT and Dify reach this gateway (`https://bot.example.com`, no trailing slash):
   * pictures are handed to them as signed links under it.
   */
  publicUrl?: string;
  bots: BotConfig[];
}
