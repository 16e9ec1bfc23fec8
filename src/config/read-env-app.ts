import type { AzureAppConfig, OpenAiAppConfig } from "./config.js";
import { ConfigError } from "./config-error.js";
import { decimal, type Env, flag, get, integer, list } from "./env-values.js";

/**
 * The API version when AZURE_API_VERSION is not set: the newest generally available one
 * (Feishu-OpenAI's default, 2023-03-15-preview, is retired by Azure).
 */
export const DEFAULT_AZURE_API_VERSION = "2024-10-21";
const API_VERSION = /^\d{4}-\d{2}-\d{2}(-preview)?$/;

/** The environment's LLM app: OpenAI-compatible (OPENAI_*), or Azure OpenAI with AZURE_ON. */
export function readEnvApp(env: Env): OpenAiAppConfig | AzureAppConfig {
  const systemPrompt = get(env, "SYSTEM_PROMPT")?.value;
  const temperature = decimal(env, "OPENAI_TEMPERATURE", 0, 2);
  const maxTokens = get(env, "OPENAI_MAX_TOKENS")
    ? integer(env, ["OPENAI_MAX_TOKENS"], 0, 1, 1_000_000)
    : undefined;
  const models = list(env, "OPENAI_MODELS")?.values;
  const imageModel = get(env, "OPENAI_IMAGE_MODEL")?.value;
  const transcribeModel = get(env, "OPENAI_TRANSCRIBE_MODEL")?.value;
  const nativeFiles = list(env, "OPENAI_NATIVE_FILES")?.values.map(extensionOf);
  const common = {
    id: "default",
    ...(systemPrompt ? { systemPrompt } : {}),
    ...(temperature !== undefined ? { temperature } : {}),
    ...(maxTokens !== undefined ? { maxTokens } : {}),
    ...(models ? { models } : {}),
    ...(imageModel ? { imageModel: imageModel === "off" ? (false as const) : imageModel } : {}),
    ...(transcribeModel ? { transcribeModel } : {}),
    ...(nativeFiles?.length ? { nativeFiles } : {}),
    ...(flag(env, "OPENAI_VISION", false) ? { vision: true } : {}),
    historyTokenBudget: integer(env, ["HISTORY_TOKEN_BUDGET"], 4000, 0, 10_000_000),
    fileMaxBytes: integer(env, ["FILE_MAX_MB"], 20, 1, 100) * 1024 * 1024,
    fileTokenBudget: integer(env, ["FILE_TOKEN_BUDGET"], 12_000, 0, 10_000_000),
    timeoutMs: timeoutMs(env),
    ...pictureHosts(env),
  };
  if (flag(env, "AZURE_ON", false)) {
    return { ...common, backend: "azure", ...keys(env, "AZURE_OPENAI_TOKEN"), ...azure(env) };
  }
  return {
    ...common,
    backend: "openai",
    ...keys(env, "OPENAI_KEY", "OPENAI_API_KEY"),
    baseUrl: llmBaseUrl(env),
    model: get(env, "OPENAI_MODEL")?.value ?? "gpt-4o-mini",
  };
}

/** `.PDF` or `pdf` → `pdf`: native file types are named by their extension. */
export function extensionOf(type: string): string {
  return type.trim().replace(/^\./, "").toLowerCase();
}

/** PICTURE_HOSTS: internal hosts answer pictures may come from, comma-separated. */
export function pictureHosts(env: Env): { pictureHosts?: string[] } {
  const found = list(env, "PICTURE_HOSTS");
  if (!found) return {};
  for (const host of found.values) {
    if (!/^[A-Za-z0-9.:[\]-]+$/.test(host)) {
      throw new ConfigError(
        "PICTURE_HOSTS",
        `"${host}" is not a host name or address; list hosts only, e.g. PICTURE_HOSTS=charts.corp.local,10.0.0.5`,
      );
    }
  }
  return { pictureHosts: found.values.map((host) => host.toLowerCase()) };
}

/** LLM_TIMEOUT_MS, or Feishu-OpenAI's OPENAI_HTTP_CLIENT_TIMEOUT in seconds. */
function timeoutMs(env: Env): number {
  if (get(env, "LLM_TIMEOUT_MS") || !get(env, "OPENAI_HTTP_CLIENT_TIMEOUT")) {
    return integer(env, ["LLM_TIMEOUT_MS"], 120_000, 1000, 3_600_000);
  }
  return integer(env, ["OPENAI_HTTP_CLIENT_TIMEOUT"], 120, 1, 3600) * 1000;
}

/** One key, or several separated by commas (Feishu-OpenAI balanced across them). */
function keys(env: Env, ...names: string[]): { apiKey: string; apiKeys?: string[] } {
  const found = list(env, ...names);
  if (!found) {
    const name = names[0]!;
    throw new ConfigError(
      name,
      name === "AZURE_OPENAI_TOKEN"
        ? "AZURE_ON is true but the bot has no Azure key. Set AZURE_OPENAI_TOKEN to a key of the Azure OpenAI resource (Azure portal → the resource → Keys and Endpoint)."
        : "the bot has no LLM key. Set OPENAI_KEY to the API key of your OpenAI-compatible endpoint (and OPENAI_BASE_URL if it is not api.openai.com).",
    );
  }
  const unique = [...new Set(found.values)];
  return { apiKey: unique[0]!, ...(unique.length > 1 ? { apiKeys: unique } : {}) };
}

function azure(env: Env): Pick<AzureAppConfig, "baseUrl" | "deployment" | "apiVersion"> {
  const deployment = get(env, "AZURE_DEPLOYMENT_NAME")?.value;
  if (!deployment) {
    throw new ConfigError(
      "AZURE_DEPLOYMENT_NAME",
      "AZURE_ON is true but no deployment is named. Set it to the deployment's name (Azure AI Foundry → Deployments), the {name} in …/openai/deployments/{name}/chat/completions.",
    );
  }
  const apiVersion = get(env, "AZURE_API_VERSION")?.value ?? DEFAULT_AZURE_API_VERSION;
  if (!API_VERSION.test(apiVersion)) {
    throw new ConfigError(
      "AZURE_API_VERSION",
      `"${apiVersion}" is not an API version; they look like ${DEFAULT_AZURE_API_VERSION} or 2025-01-01-preview`,
    );
  }
  return { baseUrl: azureEndpoint(env), deployment, apiVersion };
}

/** AZURE_ENDPOINT as given, or https://{AZURE_RESOURCE_NAME}.openai.azure.com. */
function azureEndpoint(env: Env): string {
  const explicit = get(env, "AZURE_ENDPOINT");
  if (explicit) {
    const url = httpUrl(explicit.value);
    if (!url) {
      throw new ConfigError(
        "AZURE_ENDPOINT",
        `"${explicit.value}" is not an http(s) URL. Example: https://my-resource.openai.azure.com`,
      );
    }
    // The SDK appends /openai itself; an endpoint copied with it would double it.
    return url.replace(/\/+$/, "").replace(/\/openai$/, "");
  }
  const resource = get(env, "AZURE_RESOURCE_NAME")?.value;
  if (!resource || !/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(resource)) {
    throw new ConfigError(
      "AZURE_RESOURCE_NAME",
      resource
        ? `"${resource}" is not a resource name: it is the {name} in https://{name}.openai.azure.com (letters, digits and "-")`
        : "AZURE_ON is true but the resource is not named. Set AZURE_RESOURCE_NAME (the {name} in https://{name}.openai.azure.com), or AZURE_ENDPOINT to the full endpoint.",
    );
  }
  return `https://${resource}.openai.azure.com`;
}

/**
 * Feishu-OpenAI's `API_URL` is the server root (`https://api.openai.com`); the OpenAI SDK wants
 * the `/v1` base. Accept both, so czlchat users can keep their variables.
 */
function llmBaseUrl(env: Env): string {
  const found = get(env, "OPENAI_BASE_URL") ?? get(env, "API_URL");
  if (!found) return "https://api.openai.com/v1";
  const url = httpUrl(found.value);
  if (!url) {
    throw new ConfigError(
      found.name,
      `"${found.value}" is not a URL. Example: https://api.openai.com/v1`,
    );
  }
  let base = url.replace(/\/+$/, "");
  if (found.name === "API_URL" && !/\/v\d+$/.test(new URL(base).pathname)) base = `${base}/v1`;
  return base;
}

function httpUrl(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}
