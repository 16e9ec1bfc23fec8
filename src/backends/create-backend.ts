import { type AppConfig, DEFAULT_IMAGE_MODEL, DEFAULT_TRANSCRIBE_MODEL } from "../config/config.js";
import type { Backend } from "./backend.js";
import { createDifyBackend } from "./dify.js";
import { createFastGptBackend } from "./fastgpt.js";
import { modelFetch } from "./model-fetch.js";
import { createOpenAiCompatibleBackend } from "./openai-compatible.js";
import { createOpenAiPictures } from "./openai-pictures.js";
import { createOpenAiTranscriber } from "./openai-transcriber.js";
import type { PictureMaker } from "./picture-maker.js";

/** The backend for a configured LLM app; with `outboundProxy`, its calls go through the proxy. */
export function createBackend(app: AppConfig, network: { outboundProxy?: boolean } = {}): Backend {
  const transport = modelFetch(network);
  switch (app.backend) {
    case "openai":
    case "azure":
      return createOpenAiCompatibleBackend({
        baseUrl: app.baseUrl,
        apiKey: app.apiKey,
        ...(app.apiKeys ? { apiKeys: app.apiKeys } : {}),
        model: app.backend === "azure" ? app.deployment : app.model,
        temperature: app.temperature,
        maxTokens: app.maxTokens,
        timeoutMs: app.timeoutMs,
        ...(app.backend === "azure" ? { azureApiVersion: app.apiVersion } : {}),
        fetch: transport,
      });
    case "fastgpt":
      return createFastGptBackend(app, transport);
    case "dify":
      return createDifyBackend(app, transport);
    default:
      // Unreachable once every backend has a case; kept for configs built without validation.
      throw new Error(`backend "${(app as { backend: string }).backend}" is not available yet`);
  }
}

/**
 * The picture maker of an app: its images model on its own endpoint and keys. FastGPT and Dify
 * apps have none (their workflows draw pictures themselves, as answers).
 */
export function createPictureMaker(
  app: AppConfig,
  network: { outboundProxy?: boolean } = {},
): PictureMaker | undefined {
  if (app.backend !== "openai" && app.backend !== "azure") return undefined;
  if (app.imageModel === false) return undefined;
  return createOpenAiPictures({
    ...endpointOf(app, network),
    model: app.imageModel ?? DEFAULT_IMAGE_MODEL,
  });
}

/**
 * The speech-to-text of an app: its transcription model on its own endpoint and keys. FastGPT
 * and Dify apps have none (a bot on one uses Lark's recognition, or no voice).
 */
export function createTranscriber(
  app: AppConfig,
  network: { outboundProxy?: boolean } = {},
): ReturnType<typeof createOpenAiTranscriber> | undefined {
  if (app.backend !== "openai" && app.backend !== "azure") return undefined;
  return createOpenAiTranscriber({
    ...endpointOf(app, network),
    model: app.transcribeModel ?? DEFAULT_TRANSCRIBE_MODEL,
  });
}

/** The endpoint and keys an OpenAI or Azure app's side APIs (images, audio) call with. */
function endpointOf(
  app: Extract<AppConfig, { backend: "openai" | "azure" }>,
  network: { outboundProxy?: boolean },
) {
  return {
    endpoint: {
      baseUrl: app.baseUrl,
      timeoutMs: app.timeoutMs,
      ...(app.backend === "azure" ? { azureApiVersion: app.apiVersion } : {}),
      fetch: modelFetch(network),
    },
    apiKeys: app.apiKeys && app.apiKeys.length > 0 ? app.apiKeys : [app.apiKey],
  };
}
