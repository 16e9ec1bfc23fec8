import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { bearerToken, sameToken } from "./same-token.js";

export interface AdminRoutesOptions {
  /** Read per request, so a reload can change it. Unset: the admin surface does not exist. */
  token: () => string | undefined;
  reload: () => Promise<{ bots: string[] }>;
  /** What `GET /admin/status` shows: per bot, the pushes seen and the long connection. */
  status?: () => Record<string, unknown>;
}

/** `/admin/*`: operations for the operator, behind `Authorization: Bearer $ADMIN_TOKEN`. */
export function adminRoutes(options: AdminRoutesOptions) {
  return (app: FastifyInstance) => {
    const authorize = async (request: FastifyRequest, reply: FastifyReply) => {
      const expected = options.token();
      if (!expected) {
        return reply
          .code(404)
          .send({ code: "admin_disabled", msg: "set ADMIN_TOKEN to enable /admin" });
      }
      const given = bearerToken(request.headers.authorization);
      if (!given || !sameToken(given, expected)) {
        request.log.warn({ ip: request.ip, path: request.url }, "admin request refused");
        return reply.code(401).send({ code: "unauthorized", msg: "missing or wrong bearer token" });
      }
    };
    app.get("/admin/status", { preHandler: authorize }, async () => options.status?.() ?? {});
    app.post("/admin/reload", { preHandler: authorize }, async (_request, reply) => {
      try {
        return await options.reload();
      } catch (error) {
        return reply.code(400).send({
          code: "reload_refused",
          msg: error instanceof Error ? error.message : String(error),
        });
      }
    });
  };
}
