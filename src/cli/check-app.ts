import { BackendError } from "../backends/backend.js";
import { createBackend } from "../backends/create-backend.js";
import type { AppConfig } from "../config/config.js";
import type { CheckReport } from "./check-report.js";

/** Where an app's settings are written (`OPENAI_KEY`, or `apps.coder in larkgate.yaml`). */
export interface AppSource {
  apiKey: string;
  baseUrl: string;
}

/** Long enough for a cold model to say its first word; a doctor should not hang for minutes. */
const PING_TIMEOUT_MS = 30_000;

function describe(app: AppConfig): string {
  return app.backend === "openai"
    ? `openai, model ${app.model}, ${app.baseUrl}`
    : `${app.backend}, ${app.baseUrl}`;
}

/**
 * Asks the app one tiny question and stops at the first words of the answer: proves the URL,
 * the key and (for OpenAI) the model name without spending more than a few tokens.
 */
export async function checkApp(
  app: AppConfig,
  usedBy: string[],
  source: AppSource,
  report: CheckReport,
  network: { outboundProxy?: boolean } = {},
): Promise<void> {
  report.heading(`app ${app.id} (${describe(app)}; used by ${usedBy.join(", ")})`);
  const controller = new AbortController();
  const timeoutMs = Math.min(app.timeoutMs, PING_TIMEOUT_MS);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const started = Date.now();
  try {
    const backend = createBackend(app, network);
    let answered = false;
    for await (const part of backend.stream({
      conversationKey: "larkgate-check",
      history: [],
      message: "ping",
      user: { openId: "larkgate-check", chatId: "larkgate-check", botId: usedBy[0] ?? app.id },
      state: {},
      signal: controller.signal,
    })) {
      if ((part.type === "text-delta" || part.type === "text-replace") && part.text.trim()) {
        answered = true;
        break;
      }
    }
    if (answered) report.pass(`answered "ping" in ${Date.now() - started} ms`);
    else report.fail("the app answered with no text");
  } catch (error) {
    report.fail(
      timedOut
        ? `app ${app.id}: no answer within ${timeoutMs / 1000} s from ${app.baseUrl}`
        : `app ${app.id}: ${explainBackendFailure(error, app, source)}`,
    );
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

function explainBackendFailure(error: unknown, app: AppConfig, source: AppSource): string {
  const message = error instanceof Error ? error.message : String(error);
  if (!(error instanceof BackendError)) return message;
  switch (error.code) {
    case "auth":
      return `the API key was refused (${message}). Check ${source.apiKey}`;
    case "not_found":
      return `${message}. Check ${source.baseUrl}${app.backend === "openai" ? " (it usually ends in /v1) and the model name" : ""}`;
    case "connection":
    case "timeout":
      return `cannot reach ${app.baseUrl} (${message}). Check ${source.baseUrl} and the network/proxy`;
    default:
      return message;
  }
}
