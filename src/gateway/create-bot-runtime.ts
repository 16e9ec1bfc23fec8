import type { Logger } from "pino";
import { createOpenAiCompatibleBackend } from "../backends/openai-compatible.js";
import type { BotConfig } from "../config/config.js";
import type { BotRuntime } from "../conversation/bot-runtime.js";
import { createLarkApi, type LarkApi } from "../lark/outbound/lark-api.js";
import { createLarkReplier } from "../lark/outbound/lark-replier.js";

export interface BotParts {
  runtime: BotRuntime;
  api: LarkApi;
  config: BotConfig;
}

/** Wires one configured bot: its Lark API client, its LLM backend and its replier. */
export function createBotRuntime(config: BotConfig, logger: Logger): BotParts {
  const log = logger.child({ botId: config.id });
  const api = createLarkApi({
    appId: config.appId,
    appSecret: config.appSecret,
    domain: config.domain,
    logger: log,
  });
  const backend = createOpenAiCompatibleBackend({
    baseUrl: config.app.baseUrl,
    apiKey: config.app.apiKey,
    model: config.app.model,
    temperature: config.app.temperature,
    maxTokens: config.app.maxTokens,
    timeoutMs: config.app.timeoutMs,
  });

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

  return {
    api,
    config,
    runtime: {
      id: config.id,
      groupTrigger: config.groupTrigger,
      backend,
      systemPrompt: config.app.systemPrompt,
      historyTokenBudget: config.app.historyTokenBudget,
      timeoutMs: config.app.timeoutMs,
      botOpenId,
      replier: createLarkReplier({ api, logger: log }),
    },
  };
}
