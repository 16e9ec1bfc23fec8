import type { IncomingMessage } from "node:http";

/** What a request to the fake LLM asks for, once its URL and key were checked. */
export type LlmRoute =
  | { kind: "models"; apiKey: string }
  | { kind: "chat"; apiKey: string; path: string; query: Record<string, string> }
  | { kind: "images"; apiKey: string; path: string; query: Record<string, string> }
  | {
      kind: "transcriptions";
      apiKey: string;
      path: string;
      query: Record<string, string>;
      azure: boolean;
    }
  | { kind: "refused"; status: number; body: unknown };

const AZURE_CHAT = /^\/openai\/deployments\/[^/]+\/chat\/completions$/;
const AZURE_IMAGES = /^\/openai\/deployments\/[^/]+\/images\/(generations|edits)$/;
const IMAGES = /^\/v1\/images\/(generations|edits|variations)$/;
const AZURE_TRANSCRIPTIONS = /^\/openai\/deployments\/[^/]+\/audio\/transcriptions$/;

/**
 * OpenAI's routes (`Authorization: Bearer <key>` under `/v1`) and Azure OpenAI's (`api-key`
 * header, deployment in the path, `api-version` required), each refused the way that service
 * refuses it.
 */
export function routeLlmRequest(req: IncomingMessage, keys: readonly string[]): LlmRoute {
  const url = new URL(req.url ?? "/", "http://fake-llm.local");
  const path = url.pathname.replace(/\/$/, "");
  const query = Object.fromEntries(url.searchParams);
  const azureImages = AZURE_IMAGES.test(path);
  const azureAudio = AZURE_TRANSCRIPTIONS.test(path);
  if (AZURE_CHAT.test(path) || azureImages || azureAudio) {
    const key = header(req, "api-key");
    if (!key || !keys.includes(key)) {
      return refused(401, {
        error: {
          code: "401",
          message:
            "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.",
        },
      });
    }
    if (!query["api-version"]) {
      return refused(404, { error: { code: "404", message: "Resource not found" } });
    }
    if (req.method !== "POST") return refused(405, { error: { message: "Method not allowed" } });
    if (azureAudio) return { kind: "transcriptions", apiKey: key, path, query, azure: true };
    return { kind: azureImages ? "images" : "chat", apiKey: key, path, query };
  }
  const bearer = /^Bearer (.+)$/.exec(header(req, "authorization") ?? "")?.[1];
  if (!bearer || !keys.includes(bearer)) {
    return refused(
      401,
      openAiError("Incorrect API key provided.", "invalid_request_error", "invalid_api_key"),
    );
  }
  if (req.method === "GET" && path === "/v1/models") return { kind: "models", apiKey: bearer };
  if (req.method === "POST" && IMAGES.test(path))
    return { kind: "images", apiKey: bearer, path, query };
  if (req.method === "POST" && path === "/v1/audio/transcriptions") {
    return { kind: "transcriptions", apiKey: bearer, path, query, azure: false };
  }
  if (req.method !== "POST" || path !== "/v1/chat/completions") {
    return refused(
      404,
      openAiError(`Unknown request URL: ${req.method} ${path}`, "invalid_request_error"),
    );
  }
  return { kind: "chat", apiKey: bearer, path, query };
}

export function openAiError(message: string, type: string, code: string | null = null) {
  return { error: { message, type, param: null, code } };
}

function refused(status: number, body: unknown): LlmRoute {
  return { kind: "refused", status, body };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
