import type { FastifyInstance } from "fastify";
import type { Registry } from "prom-client";
import { bearerToken, sameToken } from "./same-token.js";

/** One part of readiness: fine, or what is wrong with it in words an operator can act on. */
export type ReadinessCheck = { ok: true } | { ok: false; reason: string };

export interface MetricsRoutesOptions {
  registry: Registry;
  /** False (METRICS=off): `/metrics` answers 404; `/readyz` stays. */
  enabled?: boolean;
  /** Read per request; unset: `/metrics` is open (a scrape on an internal network). */
  token: () => string | undefined;
  /** Everything readiness looks at, by name (`store`, `bot default: token`…). */
  readiness: () => Promise<Record<string, ReadinessCheck>>;
}

/**
 * `GET /metrics` (Prometheus text) and `GET /readyz`: 200 when every check passes, else 503
 * naming the ones that fail, so a load balancer stops sending pushes to a replica that
 * cannot store them.
 */
export function metricsRoutes(options: MetricsRoutesOptions) {
  return (app: FastifyInstance) => {
    app.get("/metrics", async (request, reply) => {
      if (options.enabled === false) {
        return reply.code(404).send({ code: "metrics_off", msg: "METRICS=off on this gateway" });
      }
      const expected = options.token();
      if (expected && !sameToken(bearerToken(request.headers.authorization), expected)) {
        return reply.code(401).send({ code: "unauthorized", msg: "missing or wrong bearer token" });
      }
      return reply.type(options.registry.contentType).send(await options.registry.metrics());
    });
    app.get("/readyz", async (_request, reply) => {
      const checks = await options.readiness();
      const failing = Object.entries(checks).filter(([, check]) => !check.ok);
      return reply.code(failing.length === 0 ? 200 : 503).send({
        ready: failing.length === 0,
        checks,
      });
    });
  };
}
