import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import type { Logger } from "pino";

export interface BuildServerOptions {
  logger: Logger;
  /** Extra readiness details for `/healthz` (e.g. long-connection state per bot). */
  health?: () => Record<string, unknown>;
  /** Registers the webhook routes (lark/webhook) on the instance. */
  routes: Array<(app: FastifyInstance) => void>;
  /** Serve HTTPS with this PEM certificate (chain) and private key instead of plain HTTP. */
  https?: { cert: string | Buffer; key: string | Buffer };
}

/**
 * Builds the HTTP app (HTTPS with `https`) without listening, so tests can use it as-is.
 * Request bodies of JSON routes stay raw bytes: Lark's signature is computed over the exact
 * bytes it sent.
 */
export function buildServer(options: BuildServerOptions): FastifyInstance {
  const settings = {
    loggerInstance: options.logger as FastifyBaseLogger,
    // Webhook pushes are small; a large body is not Lark.
    bodyLimit: 1024 * 1024,
    // One line per push is logged by the handler; Fastify's own two per request would triple
    // the log volume. (The top-level disableRequestLogging option warns FSTDEP023 at start.)
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
  };
  // An HTTPS instance differs from an HTTP one only in its node server's type; the routes use
  // nothing of it, so both are handed out as the HTTP instance's type.
  const app = options.https
    ? (Fastify({ ...settings, https: options.https }) as unknown as FastifyInstance)
    : Fastify(settings);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_req, body, done) => done(null, body));

  // czlchat-feishu and Feishu-OpenAI answer `pong` here; load balancers and docs rely on it.
  app.get("/ping", async (_req, reply) => reply.type("text/plain").send("pong"));
  // Same 200 for probes either way; `status` says whether every long connection is up.
  app.get("/healthz", async () => {
    const details = options.health?.() ?? {};
    const connections = Object.values(
      (details.longConnections as Record<string, { state: string }> | undefined) ?? {},
    );
    const degraded = connections.some((c) => c.state !== "connected");
    return { status: degraded ? "degraded" : "ok", ...details };
  });

  for (const register of options.routes) register(app);
  return app;
}
