import type { FastifyReply, FastifyRequest } from "fastify";
import type { Logger } from "pino";
import type { Language, Translate } from "../i18n/translate.js";
import type { Store } from "../store/store.js";
import type { ConsoleBot, ConsoleConfig } from "./console-views.js";

export interface ConsoleRoutesOptions {
  /** Read per request, so a reload can change it. Unset: the console does not exist. */
  token: () => string | undefined;
  store: Store;
  bots: () => ConsoleBot[];
  config: () => ConsoleConfig;
  reload: () => Promise<{ bots: string[] }>;
  logger: Logger;
}

export interface ConsoleRequest {
  t: Translate;
  lang: Language;
  /** The session's CSRF token (set once logged in). */
  csrf: string;
}

/** The console context a page handler gets once the session check passed. */
export function consoleOf(request: FastifyRequest): ConsoleRequest {
  return (request as FastifyRequest & { console: ConsoleRequest }).console;
}

export function sendPage(reply: FastifyReply, page: string) {
  return reply.type("text/html; charset=utf-8").send(page);
}
