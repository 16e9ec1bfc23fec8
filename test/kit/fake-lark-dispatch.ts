import type { IncomingMessage, ServerResponse } from "node:http";
import { findRoute, pathMatches, type Route } from "./fake-lark-router.js";
import { type FakeLarkState, LarkFault, larkError, statusForCode } from "./fake-lark-state.js";
import type { FakeRequest, FakeResponse, InjectRule } from "./fake-lark-types.js";
import { readBody, sendJson } from "./http-json.js";

/** Token endpoints are the only Open API routes callable without a tenant token. */
const UNAUTHENTICATED_PREFIX = "/open-apis/auth/";

/**
 * The request pipeline: parse → injected fault/latency → tenant token → route → scope →
 * handler; every request is recorded in `state.calls` once answered.
 */
export function createRequestListener(state: FakeLarkState, routes: Route[]) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    handle(state, routes, req, res).catch((error: unknown) => {
      sendJson(res, 500, { code: 500, msg: `fake-lark internal error: ${String(error)}` });
    });
  };
}

async function handle(
  state: FakeLarkState,
  routes: Route[],
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const at = performance.now();
  const rawBody = await readBody(req);
  const url = new URL(req.url ?? "/", "http://fake-lark.local");
  const method = (req.method ?? "GET").toUpperCase();
  const path = url.pathname;
  const token = bearerToken(req.headers.authorization);
  const appId = token ? state.tokens.get(token)?.appId : undefined;
  const found = findRoute(routes, method, path);
  const fakeReq: FakeRequest = {
    method,
    path,
    query: url.searchParams,
    headers: req.headers,
    rawBody,
    body: undefined,
    params: found?.params ?? {},
    appId,
  };

  const response = await answer(state, fakeReq, found?.route, token);
  const status = response.status ?? 200;
  const body = response.body as { code?: unknown } | undefined;
  state.calls.push({
    method,
    path,
    params: fakeReq.params,
    query: fakeReq.query,
    body: fakeReq.body,
    appId,
    at,
    status,
    code: body && typeof body === "object" && typeof body.code === "number" ? body.code : undefined,
  });
  sendJson(res, status, response.body, response.headers);
}

async function answer(
  state: FakeLarkState,
  req: FakeRequest,
  route: Route | undefined,
  token: string | undefined,
): Promise<FakeResponse> {
  // Uploads are multipart; their routes read `rawBody` themselves.
  const multipart = String(req.headers["content-type"] ?? "").startsWith("multipart/form-data");
  if (req.rawBody.length > 0 && !multipart) {
    try {
      req.body = JSON.parse(req.rawBody.toString("utf8"));
    } catch {
      if (req.path.startsWith("/open-apis/"))
        return larkError(9499, "Bad Request: body is not JSON");
    }
  }

  const rule = takeInjection(state, req.method, req.path);
  if (rule?.delayMs) await new Promise((r) => setTimeout(r, rule.delayMs));
  if (rule && (rule.code !== undefined || rule.status !== undefined)) return injectedError(rule);

  if (req.path.startsWith("/open-apis/") && !req.path.startsWith(UNAUTHENTICATED_PREFIX)) {
    if (!token) return larkError(99991661, "Need a token: missing Authorization: Bearer header");
    const issued = state.tokens.get(token);
    if (!issued || issued.expiresAt <= Date.now()) {
      return larkError(99991663, "tenant token invalid");
    }
  }
  if (!route) return { status: 404, body: { code: 404, msg: "404 page not found" } };
  if (route.scope && req.appId && state.revokedScopes.get(req.appId)?.has(route.scope)) {
    return larkError(
      99991672,
      `Access denied. One of the following scopes is required: [${route.scope}]`,
    );
  }
  try {
    return await route.handler(req);
  } catch (error) {
    if (error instanceof LarkFault) {
      return larkError(error.code, error.message, error.status, error.headers);
    }
    throw error;
  }
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  return match?.[1];
}

/** Consumes the first live rule matching the request (rules are used in the order injected). */
function takeInjection(state: FakeLarkState, method: string, path: string): InjectRule | undefined {
  const index = state.injections.findIndex(
    (rule) =>
      (!rule.method || rule.method.toUpperCase() === method) &&
      pathMatches(rule.path, path) &&
      (rule.probability === undefined || Math.random() < rule.probability),
  );
  if (index < 0) return undefined;
  const rule = state.injections[index]!;
  rule.remaining -= 1;
  rule.taken = (rule.taken ?? 0) + 1;
  if (rule.remaining <= 0) state.injections.splice(index, 1);
  return rule;
}

function injectedError(rule: InjectRule): FakeResponse {
  const code = rule.code ?? (rule.status === 429 ? 99991400 : 1);
  const status = rule.status ?? statusForCode(code);
  const headers: Record<string, string> =
    code === 99991400
      ? { "x-ogw-ratelimit-limit": "50", "x-ogw-ratelimit-reset": "1", ...rule.headers }
      : { ...rule.headers };
  const msg =
    rule.msg ?? (code === 99991400 ? "request trigger frequency limit" : "injected error");
  return larkError(code, msg, status, headers);
}
