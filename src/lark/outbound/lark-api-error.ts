/**
 * A failed Lark Open Platform call, classified once at the adapter so callers only look at
 * `kind` and `retryable`. Lark codes are from the server error tables (see
 * docs/lark-notes.md#api-error-codes).
 */
export type LarkErrorKind =
  | "rate_limited"
  | "missing_scope"
  | "auth"
  | "server"
  | "network"
  | "too_large"
  | "table_limit"
  | "card_closed"
  | "sequence"
  | "gone"
  | "bad_request";

const RATE_LIMIT_CODES = new Set([99991400, 230020, 11232, 11233, 11247, 232019, 1000004, 1000005]);
const AUTH_CODES = new Set([99991661, 99991663, 99991664, 99991665, 99991671, 10003, 10014, 10015]);
/** The message or chat is gone: retrying cannot help, and the user is not there to read. */
const GONE_CODES = new Set([230011, 230110, 232009, 230002, 231003, 230019, 200740, 200750]);

export class LarkApiError extends Error {
  readonly kind: LarkErrorKind;
  readonly code: number | undefined;
  readonly status: number | undefined;
  readonly retryable: boolean;
  /** From `x-ogw-ratelimit-reset` (seconds), when Lark said how long to wait. */
  readonly retryAfterMs: number | undefined;
  constructor(
    operation: string,
    fields: {
      code?: number;
      msg?: string;
      status?: number;
      retryAfterMs?: number;
      cause?: unknown;
    },
  ) {
    const kind = classify(fields.code, fields.status, fields.msg);
    super(
      `Lark ${operation} failed: ${fields.code !== undefined ? `code ${fields.code}` : `HTTP ${fields.status ?? "error"}`}${fields.msg ? ` (${fields.msg})` : ""}`,
      { cause: fields.cause },
    );
    this.name = "LarkApiError";
    this.kind = kind;
    this.code = fields.code;
    this.status = fields.status;
    this.retryAfterMs = fields.retryAfterMs;
    this.retryable = kind === "rate_limited" || kind === "server" || kind === "network";
  }
}

function classify(code: number | undefined, status: number | undefined, msg = ""): LarkErrorKind {
  if (code !== undefined) {
    if (RATE_LIMIT_CODES.has(code)) return "rate_limited";
    if (code === 99991672 || code === 230027) return "missing_scope";
    if (AUTH_CODES.has(code)) return "auth";
    if (GONE_CODES.has(code)) return "gone";
    if (code === 230025 || code === 200860) return "too_large";
    if (code === 230099) {
      // "Failed to create card content, ext=ErrCode: 11310; ErrMsg: …": the sub-code says why.
      const sub = Number(/ErrCode: (\d+)/.exec(msg)?.[1]);
      if (sub === 11310) return "table_limit";
      // The card entity is gone (not found, expired): not a reason to stop using cards.
      if (GONE_CODES.has(sub)) return "gone";
    }
    if (code === 300309 || code === 200850) return "card_closed";
    if (code === 300317) return "sequence";
    if (code === 300120) return "server";
  }
  if (status === 429) return "rate_limited";
  if (status !== undefined && status >= 500) return "server";
  if (status === undefined && code === undefined) return "network";
  return "bad_request";
}

/**
 * Any failure of a call through the SDK as a LarkApiError: axios-shaped errors carry Lark's
 * code, status and rate-limit reset; the token manager's plain errors carry the token code.
 */
export function toLarkError(operation: string, cause: unknown): LarkApiError {
  if (cause instanceof LarkApiError) return cause;
  const axiosLike = cause as {
    response?: { status?: number; data?: unknown; headers?: Record<string, unknown> };
    message?: string;
  };
  const response = axiosLike?.response;
  if (response) {
    const data = (response.data ?? {}) as { code?: number; msg?: string };
    const reset = Number(response.headers?.["x-ogw-ratelimit-reset"]);
    return new LarkApiError(operation, {
      code: typeof data.code === "number" ? data.code : undefined,
      msg: typeof data.msg === "string" ? data.msg : undefined,
      status: response.status,
      retryAfterMs: Number.isFinite(reset) && reset >= 0 ? reset * 1000 : undefined,
      cause,
    });
  }
  // The SDK's token manager throws a plain Error carrying Lark's code when the secret is wrong.
  const message = axiosLike?.message ?? String(cause);
  const tokenCode = /tenant_access_token, code: (\d+)/.exec(message)?.[1];
  if (tokenCode) {
    return new LarkApiError(`${operation} (tenant token)`, {
      code: Number(tokenCode),
      msg: "could not get a tenant access token: check APP_ID and APP_SECRET",
      cause,
    });
  }
  return new LarkApiError(operation, { msg: message, cause });
}
