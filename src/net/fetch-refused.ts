/** Why a guarded fetch did not bring anything back; the URL stays a link for the reader. */
export type RefusalReason =
  | "scheme"
  | "private_address"
  | "too_large"
  | "timeout"
  | "status"
  | "network"
  | "redirects"
  | "not_image"
  | "bad_data_url"
  | "cap";

export class FetchRefused extends Error {
  readonly reason: RefusalReason;
  constructor(reason: RefusalReason, message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = "FetchRefused";
    this.reason = reason;
  }
}
