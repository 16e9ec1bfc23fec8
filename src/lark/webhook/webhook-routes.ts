import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Logger } from "pino";
import type { EnvelopeHandler } from "../handle-envelope.js";
import { larkClock } from "../lark-clock.js";
import { isV2Envelope } from "../lark-envelope.js";
import { type OpenedWebhook, openWebhook } from "./open-webhook.js";
import { WebhookError } from "./webhook-error.js";

export interface WebhookBot {
  id: string;
  appId: string;
  encryptKey?: string;
  verificationToken?: string;
}

export interface WebhookRoutesOptions {
  /** Looked up per request, so a config reload takes effect without re-registering routes. */
  findBot: (id: string) => WebhookBot | undefined;
  handler: EnvelopeHandler;
  logger: Logger;
  /** Told about every push once it is answered (the gateway's metrics). */
  observe?: (push: PushOutcome) => void;
  /** The clock a push's timestamp is checked against (default: Lark's, lark-clock.ts). */
  now?: () => number;
}

export interface PushOutcome {
  botId: string;
  route: "event" | "card";
  /** `acked`, `challenge`, `rejected_<code>` (`unknown_bot`, `bad_signature`…), `failed`. */
  outcome: string;
  seconds: number;
}

/**
 * Lark's Request URLs: `/webhook/event` and `/webhook/card` for the `default` bot (the
 * Feishu-OpenAI/czlchat paths), and `/webhook/<bot-id>/event|card` for each configured bot.
 * Each push is verified with that bot's own keys, so one bot's push can never pass as another's.
 */
export function webhookRoutes(options: WebhookRoutesOptions) {
  const { logger } = options;
  return (app: FastifyInstance) => {
    const handle =
      (kind: "event" | "card") =>
      async (request: FastifyRequest<{ Params: { botId?: string } }>, reply: FastifyReply) => {
        const started = performance.now();
        const botId = request.params.botId ?? "default";
        // Anything that throws below is answered 5xx by Fastify, and Lark pushes again.
        let outcome = "failed";
        try {
          return await answer(botId, kind, request, reply, (o) => {
            outcome = o;
          });
        } catch (error) {
          // Fastify's own error line is off with request logging: without this one, a store
          // refusing every push (disk full, database down) would leave nothing in the log.
          logger.error(
            { botId, kind, err: { message: (error as Error).message } },
            "push not stored; answered 500 so that Lark pushes it again",
          );
          throw error;
        } finally {
          const seconds = (performance.now() - started) / 1000;
          // The path of an unknown bot is the caller's text: never a label of its own.
          const bot = outcome === "rejected_unknown_bot" ? "unknown" : botId;
          options.observe?.({ botId: bot, route: kind, outcome, seconds });
        }
      };

    async function answer(
      botId: string,
      kind: "event" | "card",
      request: FastifyRequest,
      reply: FastifyReply,
      settle: (outcome: string) => void,
    ) {
      const bot = options.findBot(botId);
      if (!bot) {
        settle("rejected_unknown_bot");
        logger.warn({ botId, path: request.url }, "webhook for an unknown bot");
        return reply
          .code(404)
          .send({ code: "unknown_bot", msg: `no bot "${botId}" is configured` });
      }
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      let opened: OpenedWebhook;
      try {
        opened = openWebhook({
          rawBody,
          headers: request.headers,
          encryptKey: bot.encryptKey,
          verificationToken: bot.verificationToken,
          kind,
          now: (options.now ?? larkClock.now)(),
        });
      } catch (error) {
        if (error instanceof WebhookError) {
          settle(`rejected_${error.code}`);
          // Never log the body: it may be forged, and a real one carries user messages.
          logger.warn(
            { botId, kind, code: error.code, ip: request.ip, bytes: rawBody.length },
            "webhook rejected",
          );
          return reply.code(error.status).send({ code: error.code, msg: error.message });
        }
        throw error;
      }
      if (opened.type === "challenge") {
        settle("challenge");
        logger.info({ botId, kind }, "url verification answered");
        return reply.send({ challenge: opened.challenge });
      }
      if (opened.type === "legacy_card") {
        const body = await options.handler.handleLegacyCard(botId, opened.body);
        settle("acked");
        return reply.send(body);
      }
      const appId = isV2Envelope(opened.envelope) ? opened.envelope.header.app_id : undefined;
      if (appId && appId !== bot.appId) {
        settle("rejected_wrong_app");
        logger.warn({ botId, kind, code: "wrong_app" }, "webhook rejected: pushed for another app");
        return reply
          .code(401)
          .send({ code: "wrong_app", msg: "this Request URL belongs to another app" });
      }
      const body = await options.handler.handleEnvelope(botId, opened.envelope);
      settle("acked");
      return reply.send(body);
    }

    app.post("/webhook/event", handle("event"));
    app.post("/webhook/card", handle("card"));
    app.post("/webhook/:botId/event", handle("event"));
    app.post("/webhook/:botId/card", handle("card"));
  };
}
