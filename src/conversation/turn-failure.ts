import { randomBytes } from "node:crypto";
import { BackendError } from "../backends/backend.js";

/** How a turn that did not end normally ends: stopped by someone, or failed with a notice. */
export type TurnFailure =
  | { status: "stopped" }
  | { status: "error"; code: string; notice: string; ref: string; cause: unknown };

/**
 * Classifies what ended a turn early. An abort without a BackendError reason is a person
 * (Stop, recall, shutdown); anything else is a failure, told to the user in one line with a
 * reference id that the log line carries too.
 */
export function turnFailure(error: unknown, signal: AbortSignal): TurnFailure {
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
    notice: `Sorry, I could not get an answer from the model (${describe(code)}). Reference: ${ref}`,
  };
}

function describe(code: string): string {
  switch (code) {
    case "timeout":
      return "it took too long";
    case "rate_limited":
      return "the model is rate-limited, try again shortly";
    case "auth":
      return "the gateway's API key was refused";
    case "empty_answer":
      return "it returned an empty answer";
    default:
      return "the model service failed";
  }
}
