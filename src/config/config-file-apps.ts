import type { AppConfig } from "./config.js";
import { buildLimits, buildPrices } from "./config-file-limits.js";
import type { Problems } from "./config-file-problems.js";
import { APP_NAME, appSchemas, BACKENDS, type BackendName } from "./config-file-schema.js";
import { DEFAULT_AZURE_API_VERSION, extensionOf } from "./read-env-app.js";

/** Same defaults as the environment-only setup (read-env-config.ts). */
const DEFAULT_HISTORY_TOKEN_BUDGET = 4000;
const DEFAULT_TIMEOUT_MS = 120_000;
const DEFAULT_OPENAI_BASE_URL = "https://api.openai.com/v1";

export type AppMap = Map<string, AppConfig | null>;

/**
 * The `apps:` section: name → validated AppConfig, or null for an app whose mistakes were
 * reported (so bots using it are not also told it does not exist).
 */
export function buildApps(raw: Record<string, unknown>, problems: Problems): AppMap {
  const apps: AppMap = new Map();
  for (const [name, value] of Object.entries(raw)) {
    const path = ["apps", name];
    apps.set(name, null);
    if (!APP_NAME.test(name)) {
      problems.add(path, "app names use letters, digits, `_`, `-` and `.` (at most 64)");
      continue;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      problems.add(path, "must be a mapping of settings (backend, baseUrl, apiKey…), one per line");
      continue;
    }
    const backend = (value as { backend?: unknown }).backend;
    if (typeof backend !== "string" || !(BACKENDS as readonly string[]).includes(backend)) {
      problems.add(
        [...path, "backend"],
        backend === undefined
          ? `is required: one of ${BACKENDS.join(", ")}`
          : `must be one of: ${BACKENDS.join(", ")}`,
      );
      continue;
    }
    const app = buildApp(name, backend as BackendName, value, path, problems);
    if (app) apps.set(name, app);
  }
  return apps;
}

function buildApp(
  id: string,
  backend: BackendName,
  value: unknown,
  path: string[],
  problems: Problems,
): AppConfig | undefined {
  const parsed = appSchemas[backend].safeParse(value);
  if (!parsed.success) {
    problems.addIssues(path, parsed.error.issues);
    return undefined;
  }
  const raw = parsed.data;
  const common = {
    id,
    historyTokenBudget: raw.historyTokenBudget ?? DEFAULT_HISTORY_TOKEN_BUDGET,
    timeoutMs: raw.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ...(raw.systemPrompt ? { systemPrompt: raw.systemPrompt } : {}),
    ...(raw.variables ? { variables: raw.variables } : {}),
    ...(raw.timeZone ? { timeZone: raw.timeZone } : {}),
    ...(raw.vision ? { vision: true } : {}),
    ...(raw.fileMaxMb !== undefined
      ? { fileMaxBytes: Math.round(raw.fileMaxMb * 1024 * 1024) }
      : {}),
    ...(raw.fileTokenBudget !== undefined ? { fileTokenBudget: raw.fileTokenBudget } : {}),
    ...(raw.limits ? { limits: buildLimits(raw.limits) } : {}),
    ...(raw.prices ? { prices: buildPrices(raw.prices) } : {}),
    ...(raw.pictureHosts?.length
      ? { pictureHosts: raw.pictureHosts.map((host) => host.toLowerCase()) }
      : {}),
  };
  if (raw.backend === "fastgpt" || raw.backend === "dify") {
    return {
      ...common,
      apiKey: raw.apiKey,
      backend: raw.backend,
      baseUrl: trimSlashes(raw.baseUrl),
    };
  }
  const chat = {
    ...common,
    apiKey: raw.apiKey[0]!,
    ...(raw.apiKey.length > 1 ? { apiKeys: raw.apiKey } : {}),
    ...(raw.temperature !== undefined ? { temperature: raw.temperature } : {}),
    ...(raw.maxTokens !== undefined ? { maxTokens: raw.maxTokens } : {}),
    ...(raw.models && raw.models.length > 0 ? { models: raw.models } : {}),
    ...(raw.imageModel
      ? { imageModel: raw.imageModel === "off" ? (false as const) : raw.imageModel }
      : {}),
    ...(raw.transcribeModel ? { transcribeModel: raw.transcribeModel } : {}),
    ...(raw.nativeFiles?.length ? { nativeFiles: raw.nativeFiles.map(extensionOf) } : {}),
  };
  if (raw.backend === "openai") {
    return {
      ...chat,
      backend: "openai",
      baseUrl: trimSlashes(raw.baseUrl ?? DEFAULT_OPENAI_BASE_URL),
      model: raw.model,
    };
  }
  const endpoint = azureEndpoint(raw, path, problems);
  if (!endpoint) return undefined;
  return {
    ...chat,
    backend: "azure",
    baseUrl: endpoint,
    deployment: raw.deployment,
    apiVersion: raw.apiVersion ?? DEFAULT_AZURE_API_VERSION,
  };
}

/** `endpoint`, or the one `resourceName` makes; exactly one of them. */
function azureEndpoint(
  raw: { endpoint?: string | undefined; resourceName?: string | undefined },
  path: string[],
  problems: Problems,
): string | undefined {
  if (raw.endpoint && raw.resourceName) {
    problems.add(
      [...path, "resourceName"],
      "give endpoint or resourceName, not both (the endpoint already names the resource)",
    );
    return undefined;
  }
  if (raw.endpoint) return trimSlashes(raw.endpoint).replace(/\/openai$/, "");
  if (raw.resourceName) return `https://${raw.resourceName}.openai.azure.com`;
  problems.add(
    path,
    "an azure app needs resourceName (the {name} in https://{name}.openai.azure.com) or endpoint",
  );
  return undefined;
}

/** Backends append their API paths, so a trailing slash would double one. */
function trimSlashes(url: string): string {
  return url.replace(/\/+$/, "");
}
