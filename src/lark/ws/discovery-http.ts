import * as lark from "@larksuiteoapi/node-sdk";

export type DiscoveryOutcome =
  | { ok: true; pingIntervalSec: number }
  /** `fatal`: the SDK will not retry it by itself (any non-zero code but 1000040343). */
  | { ok: false; fatal: boolean; error: string };

/**
 * The HTTP client handed to `WSClient`, which uses it only for endpoint discovery
 * (`POST /callback/ws/endpoint`). It reports each outcome, because the SDK itself only logs it:
 * this is where a wrong secret or domain becomes a message that says what to fix.
 */
export function createDiscoveryHttp(onOutcome: (outcome: DiscoveryOutcome) => void) {
  const base = lark.defaultHttpInstance as unknown as lark.HttpInstance;
  const http: lark.HttpInstance = {
    async request(opts) {
      let body: unknown;
      try {
        body = await base.request(opts);
      } catch (error) {
        onOutcome({ ok: false, fatal: false, error: describeTransportError(error) });
        throw error;
      }
      onOutcome(readEndpointBody(body));
      return body as never;
    },
    get: (url, opts) => base.get(url, opts),
    delete: (url, opts) => base.delete(url, opts),
    head: (url, opts) => base.head(url, opts),
    options: (url, opts) => base.options(url, opts),
    post: (url, data, opts) => base.post(url, data, opts),
    put: (url, data, opts) => base.put(url, data, opts),
    patch: (url, data, opts) => base.patch(url, data, opts),
  };
  return http;
}

function readEndpointBody(body: unknown): DiscoveryOutcome {
  const { code, msg, data } = (body ?? {}) as { code?: unknown; msg?: unknown; data?: unknown };
  if (code === 0) {
    const config = (data as { ClientConfig?: { PingInterval?: unknown } } | undefined)
      ?.ClientConfig;
    return { ok: true, pingIntervalSec: Number(config?.PingInterval) };
  }
  const numeric = Number(code);
  // The SDK retries only "internal error"; every other code ends its session (docs/lark-notes.md#long-connection).
  return { ok: false, fatal: numeric !== 1000040343, error: describeEndpointCode(numeric, msg) };
}

/** Turns a discovery error code into a sentence that says what to fix. */
export function describeEndpointCode(code: number, msg: unknown): string {
  const said = `code ${code} "${String(msg ?? "")}"`;
  switch (code) {
    case 514:
      return `Lark rejected the app credentials (${said}): check APP_ID and APP_SECRET`;
    case 403:
      return `Lark refused the long connection (${said}): it needs a self-built app whose events are set to "receive through persistent connection"`;
    case 1000040350:
      return `too many long connections for this app (${said}): Lark allows 50 per app`;
    case 1000040351:
      return `wrong Lark domain for this app (${said}): Lark (international) apps need https://open.larksuite.com, Feishu apps https://open.feishu.cn`;
    default:
      return `WebSocket endpoint discovery failed (${said})`;
  }
}

function describeTransportError(error: unknown): string {
  const { response, code, message } = (error ?? {}) as {
    response?: { status?: number };
    code?: string;
    message?: string;
  };
  if (response?.status) return `WebSocket endpoint discovery failed: HTTP ${response.status}`;
  return `WebSocket endpoint discovery failed: ${code ?? message ?? String(error)}`;
}
