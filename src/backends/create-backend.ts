import type { AppConfig } from "../config/config.js";
import type { Backend } from "./backend.js";
import { createDifyBackend } from "./dify.js";
import { createFastGptBackend } from "./fastgpt.js";
import { createOpenAiCompatibleBackend } from "./openai-compatible.js";

/** The backend for a configured LLM app. */
export function createBackend(app: AppConfig): Backend {
  switch (app.backend) {
    case "openai":
      return createOpenAiCompatibleBackend({
        baseUrl: app.baseUrl,
        apiKey: app.apiKey,
        model: app.model,
        temperature: app.temperature,
        maxTokens: app.maxTokens,
        timeoutMs: app.timeoutMs,
      });
    case "fastgpt":
      return createFastGptBackend(app);
    case "dify":
      return createDifyBackend(app);
    default:
      // Unreachable once every backend has a case; kept for configs built without validation.
      throw new Error(`backend "${(app as { backend: string }).backend}" is not available yet`);
  }
}
