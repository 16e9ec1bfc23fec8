/**
 * Why a webhook request was refused. The route answers `status` and logs `code`; the message
 * says what to fix and never contains a secret or the body.
 */
export type WebhookErrorCode =
  | "bad_json"
  | "undecryptable"
  | "bad_signature"
  | "stale"
  | "bad_token"
  | "missing_signature"
  | "encrypted_but_no_key"
  | "not_an_object";

// Authentication failures are 401; everything else means the request itself is malformed.
const STATUS: Record<WebhookErrorCode, 400 | 401> = {
  bad_json: 400,
  undecryptable: 400,
  bad_signature: 401,
  stale: 401,
  bad_token: 401,
  missing_signature: 401,
  encrypted_but_no_key: 400,
  not_an_object: 400,
};

export class WebhookError extends Error {
  override readonly name = "WebhookError";
  readonly code: WebhookErrorCode;
  readonly status: 400 | 401;

  constructor(code: WebhookErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.status = STATUS[code];
  }
}
