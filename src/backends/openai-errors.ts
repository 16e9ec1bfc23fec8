import { APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import { BackendError } from "./backend.js";
import { codeForStatus } from "./backend-http.js";
import { MAX_REST_MS, RATE_LIMIT_REST_MS, REFUSED_KEY_REST_MS } from "./key-pool.js";

/**
 * How long the key that got this error should rest, or undefined when the error says nothing
 * about the key (a bad request, a server error, a timeout fails the same with any key).
 */
export function restFor(error: unknown): number | undefined {
  if (!(error instanceof APIError) || error instanceof APIUserAbortError) return undefined;
  // OpenAI answers an empty account with 429 too; its code tells it from a rate limit.
  if (error.code === "insufficient_quota" || error.type === "insufficient_quota") {
    return REFUSED_KEY_REST_MS;
  }
  if (error.status === 401 || error.status === 403) return REFUSED_KEY_REST_MS;
  if (error.status === 429) return retryAfterMs(error.headers) ?? RATE_LIMIT_REST_MS;
  return undefined;
}

/** `retry-after-ms` (Azure, OpenAI) or `retry-after` in seconds, kept within sane bounds. */
function retryAfterMs(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get("retry-after-ms") ?? Number.NaN);
  const seconds = Number(headers?.get("retry-after") ?? Number.NaN);
  const wait = Number.isFinite(ms) ? ms : Number.isFinite(seconds) ? seconds * 1000 : undefined;
  if (wait === undefined || wait <= 0) return undefined;
  return Math.min(Math.max(wait, 1000), MAX_REST_MS);
}

/**
 * One `BackendError` for whatever the SDK threw. `keys` are removed from the message: some
 * providers and proxies echo the key they were given.
 */
export function classifyOpenAiError(
  error: unknown,
  signal: AbortSignal,
  keys: readonly string[],
): BackendError {
  if (error instanceof BackendError) return error;
  if (signal.aborted || error instanceof APIUserAbortError) {
    return new BackendError("aborted", "the answer was stopped", { cause: error });
  }
  if (error instanceof APIConnectionTimeoutError) {
    return new BackendError("timeout", "the model did not answer in time", { cause: error });
  }
  if (error instanceof APIError) {
    const status = error.status;
    // No status: the SDK gave up before any response (it retries connection errors itself).
    // OpenAI's safety system and Azure's content filter refuse the request itself: the user
    // can rephrase, which a generic "bad request" would not tell them.
    const refused = error.code === "content_policy_violation" || error.code === "content_filter";
    const code = refused ? "content_policy" : status ? codeForStatus(status) : "connection";
    const said = withoutKeys(error.message, keys);
    return new BackendError(code, `LLM API error${status ? ` ${status}` : ""}: ${said}`, {
      status,
      cause: error,
    });
  }
  const message = withoutKeys(error instanceof Error ? error.message : String(error), keys);
  return new BackendError("connection", `LLM request failed: ${message}`, { cause: error });
}

/** The error of the last key tried, saying that every other key failed too (by position). */
export function allKeysFailed(last: BackendError, failures: readonly string[]): BackendError {
  return new BackendError(last.code, `${last.message} (every key failed: ${failures.join(", ")})`, {
    status: last.status,
    cause: last.cause,
  });
}

function withoutKeys(text: string, keys: readonly string[]): string {
  let clean = text;
  for (const key of keys) if (key) clean = clean.split(key).join("***");
  return clean;
}
