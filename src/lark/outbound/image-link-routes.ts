import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { verifyFileLink, verifyImageLink } from "./image-link.js";

export interface ImageLinkBot {
  appSecret: string;
  downloadImage(messageId: string, imageKey: string): Promise<{ data: Buffer; mimeType: string }>;
  downloadFile(messageId: string, fileKey: string): Promise<{ data: Buffer; mimeType: string }>;
}

/** The types FastGPT and Dify read documents by, where Lark serves `application/octet-stream`. */
const TYPES: Record<string, string> = {
  pdf: "application/pdf",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  doc: "application/msword",
  xls: "application/vnd.ms-excel",
  ppt: "application/vnd.ms-powerpoint",
  csv: "text/csv; charset=utf-8",
  txt: "text/plain; charset=utf-8",
  md: "text/markdown; charset=utf-8",
  html: "text/html; charset=utf-8",
  htm: "text/html; charset=utf-8",
  json: "application/json",
};

function typeFor(name: string, served: string): string {
  const extension = name.includes(".") ? name.slice(name.lastIndexOf(".") + 1).toLowerCase() : "";
  return TYPES[extension] ?? (served || "application/octet-stream");
}

export interface ImageLinkRoutesOptions {
  /** Looked up per request, so a reload takes effect. */
  findBot: (id: string) => ImageLinkBot | undefined;
  logger: Logger;
}

/**
 * `GET /files/:botId/:messageId/:imageKey?expires=…&signature=…`: a picture a user sent (and
 * `/files/:botId/:messageId/:fileKey/:name?…`: a file), for
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

    // A file a user sent, under its own name (the last segment), for FastGPT and Dify.
    app.get<{
      Params: { botId: string; messageId: string; fileKey: string; name: string };
      Querystring: { expires?: string; signature?: string };
    }>("/files/:botId/:messageId/:fileKey/:name", async (request, reply) => {
      const { botId, messageId, fileKey, name } = request.params;
      const bot = options.findBot(botId);
      const verdict = bot
        ? verifyFileLink(bot.appSecret, { botId, messageId, fileKey, name }, request.query)
        : "bad_signature";
      if (!bot || verdict !== "ok") {
        logger.warn({ botId, code: verdict, ip: request.ip }, "file link refused");
        return reply.code(403).send({ code: verdict, msg: "this file link is not valid" });
      }
      try {
        const file = await bot.downloadFile(messageId, fileKey);
        return reply
          .type(typeFor(name, file.mimeType))
          .header("content-disposition", `attachment; filename*=UTF-8''${encodeURIComponent(name)}`)
          .header("cache-control", "private, max-age=600")
          .send(file.data);
      } catch (error) {
        logger.warn(
          {
            botId,
            messageId,
            err: { message: error instanceof Error ? error.message : String(error) },
          },
          "file link: Lark could not serve the file",
        );
        return reply.code(404).send({ code: "not_available", msg: "the file is not available" });
      }
    });
  };
}
