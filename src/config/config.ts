import type { Language } from "../i18n/translate.js";
import type { Limits, ModelPrice } from "./limits.js";

/** The gateway's validated configuration. Produced once at start-up by a loader in this folder. */

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

/** The language a bot speaks to its users (cards, buttons, notices, errors). */
export type { Language } from "../i18n/translate.js";

/** The commands a bot understands instead of a question (Feishu-OpenAI's set, and more). */
export const COMMAND_NAMES = [
  "help",
  "clear",
  "system",
  "roles",
  "ai_mode",
  "model",
  "usage",
  "picture",
  "vision",
] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

/**
 * Per command: `false` turns it off; a list of words replaces its default words (slash form and
 * Chinese alias). Commands not named keep their defaults.
 */
export type CommandSettings = Partial<Record<CommandName, false | string[]>>;

interface AppCommon {
  /** Name of the LLM app (`default` for the environment-only setup). */
  id: string;
  apiKey: string;
  systemPrompt?: string;
  /** Tokens of earlier turns sent back as history (estimated; gateway-kept history only). */
  historyTokenBudget: number;
  /** Gives up on the LLM after this long without finishing. */
  timeoutMs: number;
  /**
   * Extra variables passed to backends that take them (FastGPT `variables`, Dify `inputs`);
   * `{{sender.name}}`-style placeholders in them are filled per question (turn-placeholders.ts).
   */
  variables?: Record<string, string>;
  /** IANA time zone of the `{{date}}`, `{{time}}` and `{{datetime}}` placeholders (UTC if unset). */
  timeZone?: string;
  /**
   * The app reads images: pictures users send go with their question (inline for OpenAI-
   * compatible models; as links to larkgate, which need `publicUrl`, for FastGPT and Dify).
   */
  vision?: boolean;
  /** Files users send are refused above this many bytes (default 20 MB). */
  fileMaxBytes?: number;
  /**
   * Tokens (estimated) of text read from files that go with one question, for apps that get
   * the text (default 12000); what does not fit is cut, and the model is told what was.
   */
  fileTokenBudget?: number;
  /** Budgets and limits for the bots that use this app; a bot's own `limits` go over them. */
  limits?: Limits;
  /** Model → price per million tokens, for `cost` budgets. */
  prices?: Record<string, ModelPrice>;
  /**
   * Hosts on the internal network that pictures and files in this app's answers may be
   * fetched from (`PICTURE_HOSTS` / `pictureHosts`); every other private, loopback or
   * link-local address is refused (SSRF guard).
   */
  pictureHosts?: string[];
}

/** What a file larger than an app's `fileMaxBytes` is refused above, when it does not say. */
export const DEFAULT_FILE_MAX_BYTES = 20 * 1024 * 1024;
/** The tokens of file text per question, when an app does not say: a long report's worth. */
export const DEFAULT_FILE_TOKEN_BUDGET = 12_000;

/** What OpenAI and Azure OpenAI apps share: the chat-completions API. */
interface ChatCompletionsSettings {
  /**
   * Every key, when several are given (`OPENAI_KEY=sk-1,sk-2`): requests take turns, and a
   * key that is refused or out of quota rests while the others answer. `apiKey` is the first.
   */
  apiKeys?: string[];
  temperature?: number;
  /** Completion limit sent to the model, if set. */
  maxTokens?: number;
  /** Models a conversation may switch to with `/model`; absent or empty turns `/model` off. */
  models?: string[];
  /**
   * `/picture`'s images model (`OPENAI_IMAGE_MODEL`; on Azure, the image deployment), sent to
   * the app's own endpoint and keys; absent: `DEFAULT_IMAGE_MODEL`; false: no pictures.
   */
  imageModel?: string | false;
  /**
   * The speech-to-text model for voice messages (`OPENAI_TRANSCRIBE_MODEL`; on Azure, the
   * whisper deployment), sent to the app's own endpoint and keys; absent:
   * `DEFAULT_TRANSCRIBE_MODEL`.
   */
  transcribeModel?: string;
  /**
   * File types (extensions, lower case: `pdf`) the model reads itself (`OPENAI_NATIVE_FILES` /
   * `nativeFiles`): such files go to it whole, as a `file` part, instead of as the text larkgate
   * reads from them. OpenAI's models take `pdf`.
   */
  nativeFiles?: string[];
}

export const DEFAULT_IMAGE_MODEL = "dall-e-3";
export const DEFAULT_TRANSCRIBE_MODEL = "whisper-1";

/**
 * Who turns a voice message into text: the app's OpenAI-compatible `audio/transcriptions`,
 * Lark's own speech recognition, or nobody (the user is asked to type).
 */
export const VOICE_ENGINES = ["openai", "lark", "off"] as const;
export type VoiceEngine = (typeof VOICE_ENGINES)[number];

/**
 * What a bot does with voice when its configuration does not say: an OpenAI-compatible or
 * Azure app has a transcription endpoint beside its chat one; FastGPT and Dify apps have none
 * that larkgate can call, and Lark's recognition needs a scope the admin has to add first.
 */
export function defaultVoiceEngine(app: AppConfig): VoiceEngine {
  return app.backend === "openai" || app.backend === "azure" ? "openai" : "off";
}

export interface OpenAiAppConfig extends AppCommon, ChatCompletionsSettings {
  backend: "openai";
  /** OpenAI SDK convention: includes `/v1`. */
  baseUrl: string;
  model: string;
}

/**
 * Azure OpenAI: `POST {baseUrl}/openai/deployments/{deployment}/chat/completions?api-version=…`
 * with an `api-key` header. `models` are deployment names here.
 */
export interface AzureAppConfig extends AppCommon, ChatCompletionsSettings {
  backend: "azure";
  /** The resource's endpoint, `https://{resource}.openai.azure.com`, without a trailing slash. */
  baseUrl: string;
  /** The deployment answers go to; the chat log shows it as the model. */
  deployment: string;
  apiVersion: string;
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

export type AppConfig = OpenAiAppConfig | AzureAppConfig | FastGptAppConfig | DifyAppConfig;

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
  /**
   * `LANGUAGE` / `language`. The loaders always set it (`auto` resolved with
   * `languageForDomain`); optional so tests may build a BotConfig by hand.
   */
  language?: Language;
  /** Commands turned off or renamed (`commands:` in the bot's section). */
  commands?: CommandSettings;
  /** `/clear` asks for confirmation first (Feishu-OpenAI's behaviour); default true. */
  confirmClear?: boolean;
  /** Days this bot's chat log is kept, over the gateway's `chatLogRetentionDays`; 0: forever. */
  chatLogRetentionDays?: number;
  /** Sent when the bot joins a group or a user opens the p2p chat; absent: the default text in
   * the bot's language; empty: no welcome. */
  welcome?: string;
  /**
   * Who transcribes voice messages (`VOICE_TRANSCRIBE` / `voice`). The loaders always set it
   * (`defaultVoiceEngine` when not configured); optional so tests may build a BotConfig by hand.
   */
  voice?: VoiceEngine;
  /** Budgets and limits (`limits:`), over the app's. */
  limits?: Limits;
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
  /** Bearer token `GET /metrics` asks for (METRICS_TOKEN); without it the metrics are open. */
  metricsToken?: string;
  /** METRICS=off: no metrics kept and no `/metrics` (the benchmark's baseline). */
  metricsOff?: boolean;
  /** HTTPS_PROXY or HTTP_PROXY is set: Lark calls must go through a transport that uses it. */
  outboundProxy?: boolean;
  /**
   * Where FastGPT and Dify reach this gateway (`https://bot.example.com`, no trailing slash):
   * pictures are handed to them as signed links under it.
   */
  publicUrl?: string;
  /** A role-preset file in Feishu-OpenAI's `role_list.yaml` shape; absent: the shipped set. */
  rolesFile?: string;
  /**
   * Also serve HTTPS (USE_HTTPS, Feishu-OpenAI's variables): the same routes on `port`, with
   * the certificate and key read from these files (checked readable and matching at start).
   * Plain HTTP stays on `http.port` for `/ping` and proxies that terminate TLS themselves.
   */
  https?: { port: number; certFile: string; keyFile: string };
  /**
   * TEST_ALLOW_LOOPBACK_FETCH: pictures in answers may be fetched from this machine. For the
   * test suite's picture server only; refused unless NODE_ENV is `test`.
   */
  allowLoopbackFetch?: boolean;
  bots: BotConfig[];
}
