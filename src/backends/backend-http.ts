import { BackendError } from "./backend.js";

/**
 * Plumbing shared by the fetch-based backends (FastGPT, Dify): one POST with a deadline, and
 * one place that turns transport failures and HTTP statuses into `BackendError` codes.
 */
export interface PostOptions {
  url: string;
  apiKey: string;
  body: unknown;
  /** The caller's signal (Stop, gateway timeout). */
  signal: AbortSignal;
  /** The app's own deadline; its expiry is reported as `timeout`. */
  deadline: AbortSignal;
  /** Names the backend in error messages, e.g. `FastGPT app "support"`. */
  label: string;
  /** The transport (see modelFetch); the global fetch by default. */
  fetch?: typeof fetch;
}

export async function postJson(options: PostOptions): Promise<Response> {
  try {
    return await (options.fetch ?? fetch)(options.url, {
      method: "POST",
      headers: {
        authorization: `Bearer ${options.apiKey}`,
        "content-type": "application/json",
        accept: "text/event-stream, application/json",
      },
      body: JSON.stringify(options.body),
      signal: AbortSignal.any([options.signal, options.deadline]),
    });
  } catch (error) {
    throw classifyTransportError(error, options);
  }
}

/** Maps a failure while connecting or reading the stream to a `BackendError`. */
export function classifyTransportError(
  error: unknown,
  context: Pick<PostOptions, "signal" | "deadline" | "label">,
): BackendError {
  if (error instanceof BackendError) return error;
  if (context.signal.aborted) {
    // The gateway may abort with its own classified reason (e.g. its timeout); keep that.
    const reason: unknown = context.signal.reason;
    if (reason instanceof BackendError) return reason;
    return new BackendError("aborted", "the answer was stopped", { cause: error });
  }
  if (context.deadline.aborted) {
    return new BackendError("timeout", `${context.label} did not answer in time`, {
      cause: error,
    });
  }
  const detail = describeCause(error);
  return new BackendError("connection", `${context.label} could not be reached: ${detail}`, {
    cause: error,
  });
}

/** The stable code for an HTTP status (`run-turn` words the user's notice after it). */
export function codeForStatus(status: number): string {
  if (status === 401 || status === 403) return "auth";
  if (status === 429) return "rate_limited";
  if (status === 404) return "not_found";
  if (status >= 500) return "server_error";
  return "bad_request";
}

/**
 * A FastGPT or Dify error once its body is read: both apps report the same classes (a refused
 * key, no quota left, an HTTP status, a failure inside the app), each said with what to fix.
 */
export function appError(options: {
  /** Names the app, e.g. `Dify app "hr"`. */
  label: string;
  /** The response's HTTP status; undefined for an error event inside a 200 stream. */
  httpStatus: number | undefined;
  /** The status the body states, when it states one (Dify's `status`). */
  bodyStatus?: number;
  /** What the app said, secrets removed (`code: message`). */
  detail: string;
  /** The app said the key is wrong, in its own words (beyond HTTP 401/403). */
  refusedKey: boolean;
  /** How to get a key the app accepts. */
  keyFix: string;
  /** The app said its quota is used up: how to say that. */
  outOfQuota?: string;
}): BackendError {
  const { label, httpStatus, detail } = options;
  const status = httpStatus ?? options.bodyStatus;
  const said = detail ? ` (${detail})` : "";
  if (status === 401 || status === 403 || options.refusedKey) {
    return new BackendError("auth", `${label} refused its API key${said}; ${options.keyFix}`, {
      status,
    });
  }
  if (options.outOfQuota) {
    return new BackendError("quota_exceeded", `${label} ${options.outOfQuota}${said}`, { status });
  }
  if (httpStatus !== undefined && httpStatus >= 400) {
    return new BackendError(
      codeForStatus(httpStatus),
      `${label} answered HTTP ${httpStatus}${detail ? `: ${detail}` : ""}`,
      { status: httpStatus },
    );
  }
  return new BackendError("app_error", `${label} reported an error: ${detail || "no details"}`, {
    status,
  });
}

/** Reads an error body as JSON when it is JSON; otherwise keeps a short piece of the text. */
export async function readErrorBody(response: Response): Promise<Record<string, unknown>> {
  let text = "";
  try {
    text = await response.text();
  } catch {
    return {};
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // Not JSON (a proxy's HTML page, say): the first line is enough to recognise it.
  }
  const firstLine = text.trim().split(/\r?\n/, 1)[0] ?? "";
  return firstLine ? { message: firstLine.slice(0, 200) } : {};
}

/** A string field of a parsed JSON object, if present. */
export function stringField(value: unknown, key: string): string | undefined {
  if (!value || typeof value !== "object") return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === "string" ? field : undefined;
}

/** A finite number field of a parsed JSON object, if present. */
export function numberField(value: unknown, key: string): number | undefined {
  if (!value || typeof value !== "object") return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === "number" && Number.isFinite(field) ? field : undefined;
}

/** Parses one SSE data payload; a malformed one is skipped rather than failing the answer. */
export function parseJson(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

/** A remote message made safe to log: never echoes the key, never floods the log. */
export function remoteMessage(text: string | undefined, apiKey: string): string | undefined {
  if (!text) return undefined;
  const clean = apiKey ? text.split(apiKey).join("***") : text;
  return clean.length > 300 ? `${clean.slice(0, 300)}…` : clean;
}

/** Joins a configured base URL and an API path without doubling or dropping the slash. */
export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, "")}${path}`;
}

function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // undici hides the useful part (ECONNREFUSED, ENOTFOUND…) in `cause`.
  const cause = (error as { cause?: unknown }).cause;
  const code = cause && typeof cause === "object" ? (cause as { code?: unknown }).code : undefined;
  return typeof code === "string" ? `${error.message} (${code})` : error.message;
}
