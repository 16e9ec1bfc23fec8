import type { Logger } from "pino";
import {
  createBackend,
  createPictureMaker,
  createTranscriber,
} from "../backends/create-backend.js";
import type { PictureMaker } from "../backends/picture-maker.js";
import {
  type AppConfig,
  type BotConfig,
  DEFAULT_FILE_MAX_BYTES,
  DEFAULT_FILE_TOKEN_BUDGET,
  defaultVoiceEngine,
} from "../config/config.js";
import { languageForDomain } from "../config/lark-domain.js";
import { readRoleList } from "../config/read-role-list.js";
import type { AppRuntime, BotRuntime } from "../conversation/bot-runtime.js";
import { commandTable } from "../conversation/commands.js";
import type { Transcriber } from "../conversation/voice-ports.js";
import { forwardTranscript } from "../lark/inbound/forward-transcript.js";
import { readBackMessage } from "../lark/inbound/quoted-message.js";
import { signFileLink, signImageLink } from "../lark/outbound/image-link.js";
import { createLarkApi, type LarkApi, type LarkCallObserver } from "../lark/outbound/lark-api.js";
import { createLarkReplier, type DeliveryMode } from "../lark/outbound/lark-replier.js";
import { createLarkTranscriber } from "../lark/outbound/lark-transcriber.js";
import { createAccessCheck } from "./access-check.js";
import { limitsFor } from "./limits-for.js";
import { createNameDirectory } from "./name-directory.js";

export interface BotParts {
  runtime: BotRuntime;
  api: LarkApi;
  config: BotConfig;
  /** How answers are shown now (the replier falls back when Lark refuses a way). */
  delivery(): DeliveryMode;
}

function appRuntime(
  app: AppConfig,
  network: { outboundProxy?: boolean },
  systemPrompt = app.systemPrompt,
): AppRuntime {
  // FastGPT and Dify keep their prompt and model in the app; only the others take them per call.
  const tunable = app.backend !== "fastgpt" && app.backend !== "dify";
  return {
    name: app.id,
    kind: app.backend,
    tunable,
    models: tunable && "models" in app ? (app.models ?? []) : [],
    backend: createBackend(app, network),
    ...withPictures(createPictureMaker(app, network)),
    ...(systemPrompt ? { systemPrompt } : {}),
    historyTokenBudget: app.historyTokenBudget,
    timeoutMs: app.timeoutMs,
    vision: app.vision === true,
    pictureHosts: app.pictureHosts ?? [],
    nativeFiles: "nativeFiles" in app ? (app.nativeFiles ?? []) : [],
    fileMaxBytes: app.fileMaxBytes ?? DEFAULT_FILE_MAX_BYTES,
    fileTokenBudget: app.fileTokenBudget ?? DEFAULT_FILE_TOKEN_BUDGET,
    ...(app.prices ? { prices: app.prices } : {}),
    ...(app.variables ? { variables: app.variables } : {}),
    ...(app.timeZone ? { timeZone: app.timeZone } : {}),
  };
}

function withPictures(pictures: PictureMaker | undefined): { pictures?: PictureMaker } {
  return pictures ? { pictures } : {};
}

function withVoice(voice: Transcriber | undefined): { voice?: Transcriber } {
  return voice ? { voice } : {};
}

/** Lark takes images up to 10 MB, so this only stops a misbehaving server. */
const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
/** Lark serves message resources up to 100 MB (its message-resource API docs). */
const MAX_FILE_BYTES = 100 * 1024 * 1024;

/** Who transcribes this bot's voice messages: its app's endpoint, Lark, or nobody. */
function voiceFor(
  config: BotConfig,
  api: LarkApi,
  network: { outboundProxy?: boolean },
  log: Logger,
): Transcriber | undefined {
  const engine = config.voice ?? defaultVoiceEngine(config.app);
  if (engine === "lark") return createLarkTranscriber(api, log);
  if (engine === "openai") return createTranscriber(config.app, network);
  return undefined;
}

/** Wires one configured bot: its Lark API client, its LLM app(s) and its replier. */
export function createBotRuntime(
  config: BotConfig,
  logger: Logger,
  network: {
    outboundProxy?: boolean;
    publicUrl?: string;
    rolesFile?: string;
    /** Answer pictures may come from this machine (tests only). */
    allowLoopbackFetch?: boolean;
    /** Told about every Lark call (the gateway's metrics). */
    larkObserver?: LarkCallObserver;
  } = {},
): BotParts {
  const log = logger.child({ botId: config.id });
  const language = config.language ?? languageForDomain(config.domain);
  const api = createLarkApi({
    appId: config.appId,
    appSecret: config.appSecret,
    domain: config.domain,
    logger: log,
    outboundProxy: network.outboundProxy,
    ...(network.larkObserver ? { observer: network.larkObserver } : {}),
  });
  const defaultApp = appRuntime(config.app, network);
  const overrides = new Map<string, AppRuntime>();
  for (const [chatId, override] of Object.entries(config.chatOverrides ?? {})) {
    const app = override.app ?? config.app;
    overrides.set(chatId, appRuntime(app, network, override.systemPrompt ?? app.systemPrompt));
  }

  const limits = limitsFor(config, (chatId) => config.chatOverrides?.[chatId]?.app ?? config.app);

  // Fetched once, on first need, and kept: polling bot info burns the free tier's API quota.
  let openId: Promise<string> | undefined;
  const botOpenId = () => {
    openId ??= api.botInfo().then(
      (info) => {
        log.info({ botOpenId: info.openId, appName: info.appName }, "bot identity loaded");
        return info.openId;
      },
      (error) => {
        openId = undefined; // try again on the next message
        throw error;
      },
    );
    return openId;
  };

  const replier = createLarkReplier({
    api,
    logger: log,
    mode: config.answerMode ?? "cardkit",
    footer: config.footer ?? true,
    language,
    ...(network.allowLoopbackFetch ? { answerFetch: { allowLoopback: true } } : {}),
  });
  return {
    api,
    config,
    delivery: () => replier.mode,
    runtime: {
      id: config.id,
      language,
      commands: commandTable(config.commands),
      confirmClear: config.confirmClear ?? true,
      name: config.name ?? "",
      ...(config.welcome !== undefined ? { welcome: config.welcome } : {}),
      roles: readRoleList(network.rolesFile, language),
      groupTrigger: config.groupTrigger,
      ...withVoice(voiceFor(config, api, network, log)),
      botOpenId,
      directory: createNameDirectory({
        userName: (openId) => api.userName(openId),
        chatName: (chatId) => api.chatName(chatId),
        botName: async () => config.name || (await api.botInfo()).appName || undefined,
      }),
      replier,
      appFor: (chatId) => overrides.get(chatId) ?? defaultApp,
      mayAnswer: createAccessCheck(config.access),
      ...(limits ? { limitsFor: limits } : {}),
      readMessage: async (messageId) =>
        readBackMessage(await api.getMessage(messageId), await botOpenId()),
      imageLink: (messageId, imageKey) =>
        network.publicUrl
          ? signImageLink(network.publicUrl, config.appSecret, {
              botId: config.id,
              messageId,
              imageKey,
            })
          : undefined,
      fileLink: (messageId, fileKey, name) =>
        network.publicUrl
          ? signFileLink(network.publicUrl, config.appSecret, {
              botId: config.id,
              messageId,
              fileKey,
              name,
            })
          : undefined,
      downloadFile: (messageId, fileKey, maxBytes) =>
        api.downloadFile(messageId, fileKey, Math.min(maxBytes, MAX_FILE_BYTES)),
      readForward: async (messageId) =>
        forwardTranscript(await api.getMessageItems(messageId), messageId, await botOpenId()),
      downloadImage: (messageId, imageKey, maxBytes) =>
        api.downloadImage(messageId, imageKey, Math.min(maxBytes, MAX_IMAGE_BYTES)),
      sentPicture: (imageKey) => api.downloadOwnImage(imageKey, MAX_IMAGE_BYTES),
      downloadAudio: (messageId, fileKey, maxBytes) =>
        api.downloadFile(messageId, fileKey, maxBytes),
    },
  };
}
