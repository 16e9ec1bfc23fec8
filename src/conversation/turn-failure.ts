import { randomBytes } from "node:crypto";
import { BackendError } from "../backends/backend.js";
import type { TextKey, Translate } from "../i18n/translate.js";

/** How a turn that did not end normally ends: stopped by someone, or failed with a notice. */
export type TurnFailure =
  | { status: "stopped" }
  | { status: "error"; code: string; notice: string; ref: string; cause: unknown };

/**
 * Classifies what ended a turn early. An abort without a BackendError reason is a person
 * (Stop, recall, shutdown); anything else is a failure, told to the user in one line with a
 * reference id that the log line carries too.
 */
export function turnFailure(
  error: unknown,
  signal: AbortSignal,
  t: Translate,
  /** The notice's sentence, around `{reason}` and `{ref}`. */
  noticeKey: "error.notice" | "picture.failed" = "error.notice",
): TurnFailure {
  const reason: unknown = signal.reason;
  if (signal.aborted && !(reason instanceof BackendError)) return { status: "stopped" };
  const cause = reason instanceof BackendError ? reason : error;
  const code = cause instanceof BackendError ? cause.code : "internal";
  const ref = randomBytes(4).toString("hex");
  return {
    status: "error",
    code,
    ref,
    cause,
    notice: t(noticeKey, { reason: t(reasonKey(code)), ref }),
  };
}

function reasonKey(code: string): TextKey {
  switch (code) {
    case "timeout":
    case "rate_limited":
    case "auth":
    case "empty_answer":
    case "content_policy":
    case "too_long":
      return `error.${code}`;
    default:
      return "error.other";
  }
}
