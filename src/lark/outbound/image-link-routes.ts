import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { verifyImageLink } from "./image-link.js";

export interface ImageLinkBot {
  appSecret: string;
  downloadImage(messageId: string, imageKey: string): Promise<{ data: Buffer; mimeType: string }>;
}

export interface ImageLinkRoutesOptions {
  /** Looked up per request, so a reload takes effect. */
  findBot: (id: string) => ImageLinkBot | undefined;
  logger: Logger;
}

/**
 * `GET /files/:botId/:messageId/:imageKey?expires=…&signature=…`: a picture a user sent, for
 * FastGPT or Dify fetching the link larkgate gave them. Fetched from Lark on each request, so
 * any replica can serve it and nothing is stored.
 */
export function imageLinkRoutes(options: ImageLinkRoutesOptions) {
  const { logger } = options;
  return (app: FastifyInstance) => {
    app.get<{
      Params: { botId: string; messageId: string; imageKey: string };
      Querystring: { expires?: string; signature?: string };
    }>("/files/:botId/:messageId/:imageKey", async (request, reply) => {
      const { botId, messageId, imageKey } = request.params;
      const bot = options.findBot(botId);
      const verdict = bot
        ? verifyImageLink(bot.appSecret, { botId, messageId, imageKey }, request.query)
        : "bad_signature";
      if (!bot || verdict !== "ok") {
        logger.warn({ botId, code: verdict, ip: request.ip }, "picture link refused");
        return reply.code(403).send({ code: verdict, msg: "this picture link is not valid" });
      }
      try {
        const image = await bot.downloadImage(messageId, imageKey);
        return reply
          .type(image.mimeType)
          .header("cache-control", "private, max-age=600")
          .send(image.data);
      } catch (error) {
        logger.warn(
          {
            botId,
            messageId,
            err: { message: error instanceof Error ? error.message : String(error) },
          },
          "picture link: Lark could not serve the picture",
        );
        return reply.code(404).send({ code: "not_available", msg: "the picture is not available" });
      }
    });
  };
}
