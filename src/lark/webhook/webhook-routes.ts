import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Logger } from "pino";
import type { EnvelopeHandler } from "../handle-envelope.js";
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
        const botId = request.params.botId ?? "default";
        const bot = options.findBot(botId);
        if (!bot) {
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
          });
        } catch (error) {
          if (error instanceof WebhookError) {
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
          logger.info({ botId, kind }, "url verification answered");
          return reply.send({ challenge: opened.challenge });
        }
        if (opened.type === "legacy_card") {
          return reply.send(await options.handler.handleLegacyCard(botId, opened.body));
        }
        const appId = isV2Envelope(opened.envelope) ? opened.envelope.header.app_id : undefined;
        if (appId && appId !== bot.appId) {
          logger.warn(
            { botId, kind, code: "wrong_app" },
            "webhook rejected: pushed for another app",
          );
          return reply
            .code(401)
            .send({ code: "wrong_app", msg: "this Request URL belongs to another app" });
        }
        return reply.send(await options.handler.handleEnvelope(botId, opened.envelope));
      };

    app.post("/webhook/event", handle("event"));
    app.post("/webhook/card", handle("card"));
    app.post("/webhook/:botId/event", handle("event"));
    app.post("/webhook/:botId/card", handle("card"));
  };
}
