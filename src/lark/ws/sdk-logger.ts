import type * as lark from "@larksuiteoapi/node-sdk";
import type { Logger } from "pino";

export interface SdkLoggerOptions {
  /** Removed from every line, in case an SDK message ever echoes it. */
  secrets: string[];
  /** Sees every SDK line at warn level or above (after redaction), e.g. to keep a last error. */
  onProblem?: (message: string) => void;
}

/**
 * Routes the SDK's log lines into pino. The receiver logs every state change itself at info, so
 * the SDK's own chatter moves one level down: its errors (mostly transient connect failures it
 * retries) become warnings and its info lines (a multi-line banner on every start) become debug.
 */
export function createSdkLogger(logger: Logger, options: SdkLoggerOptions): lark.Logger {
  const secrets = options.secrets.filter((secret) => secret.length > 0);
  const render = (args: unknown[]): string => {
    let text = args
      .flat()
      .map((part) => (part instanceof Error ? part.message : String(part)))
      .join(" ");
    for (const secret of secrets) text = text.replaceAll(secret, "[redacted]");
    // Endpoint URLs carry a short-lived connection ticket.
    return text.replace(/([?&](?:ticket|access_key)=)[^&\s]+/g, "$1[redacted]");
  };
  const problem = (args: unknown[]) => {
    const message = render(args);
    logger.warn({ sdk: true }, message);
    options.onProblem?.(message);
  };
  return {
    error: (...args) => problem(args),
    warn: (...args) => problem(args),
    info: (...args) => logger.debug({ sdk: true }, render(args)),
    debug: (...args) => logger.debug({ sdk: true }, render(args)),
    trace: (...args) => logger.trace({ sdk: true }, render(args)),
  };
}
