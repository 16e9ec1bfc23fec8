import OpenAI, { AzureOpenAI } from "openai";

/** Where chat completions go: an OpenAI-compatible base URL, or an Azure OpenAI resource. */
export interface ChatEndpoint {
  /** OpenAI-compatible: the base including `/v1`. Azure: the resource's endpoint. */
  baseUrl: string;
  /** Set for Azure OpenAI: the `api-version` query parameter of every request. */
  azureApiVersion?: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

/**
 * An SDK client for one key. Azure gets the `openai` package's AzureOpenAI, which sends the
 * key as `api-key`, adds `api-version` and puts the request's model (the deployment) in the
 * path: `{endpoint}/openai/deployments/{model}/chat/completions`.
 */
export function createChatClient(endpoint: ChatEndpoint, apiKey: string): OpenAI {
  const common = {
    apiKey,
    timeout: endpoint.timeoutMs,
    // The worker decides about retries (a retry after partial output would duplicate text).
    maxRetries: 0,
    ...(endpoint.fetch ? { fetch: endpoint.fetch } : {}),
  };
  if (endpoint.azureApiVersion === undefined) {
    return new OpenAI({ ...common, baseURL: endpoint.baseUrl });
  }
  // baseURL, not `endpoint`: AzureOpenAI would otherwise take OPENAI_BASE_URL from the process
  // environment (set for the OpenAI-compatible setup) and refuse to have both.
  return new AzureOpenAI({
    ...common,
    baseURL: `${endpoint.baseUrl.replace(/\/+$/, "")}/openai`,
    apiVersion: endpoint.azureApiVersion,
  });
}

/**
 * Azure refuses `stream_options` before the 2024-09-01 API versions with a 400, and
 * Feishu-OpenAI users often still run 2023 versions; those answers simply carry no usage.
 */
export function takesStreamOptions(endpoint: ChatEndpoint): boolean {
  const version = endpoint.azureApiVersion;
  return version === undefined || version.slice(0, 10) >= "2024-09-01";
}

/**
 * One client per key of a pool, made on first use and kept: `clientFor(index)` for the index a
 * key pool's `attempts()` hands out.
 */
export function clientsPerKey(
  endpoint: ChatEndpoint,
  keyOf: (index: number) => string,
): (index: number) => OpenAI {
  const clients = new Map<number, OpenAI>();
  return (index) => {
    let client = clients.get(index);
    if (!client) {
      client = createChatClient(endpoint, keyOf(index));
      clients.set(index, client);
    }
    return client;
  };
}
