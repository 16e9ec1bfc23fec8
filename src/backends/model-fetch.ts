/**
 * The `fetch` calls to LLM apps go through. Node 20's built-in fetch ignores HTTPS_PROXY and
 * HTTP_PROXY, so behind a proxy (Feishu-OpenAI users set HTTP_PROXY to reach OpenAI) the calls
 * go through undici's EnvHttpProxyAgent instead, which reads those variables and NO_PROXY.
 * undici is loaded on the first call, so a gateway without a proxy never pays for it.
 */
export function modelFetch(options: { outboundProxy?: boolean } = {}): typeof fetch {
  if (!options.outboundProxy) return globalThis.fetch;
  let proxied: Promise<typeof fetch> | undefined;
  return async (input, init) => {
    proxied ??= import("undici").then(({ EnvHttpProxyAgent, fetch: undiciFetch }) => {
      // Plain-HTTP targets are sent to the proxy as absolute URLs, as curl and axios do; HTTPS
      // ones go through a CONNECT tunnel.
      const dispatcher = new EnvHttpProxyAgent({ proxyTunnel: false });
      // undici's fetch with its own agent: Node's bundled undici may be another version.
      return ((url: Parameters<typeof fetch>[0], request?: RequestInit) =>
        undiciFetch(url as never, { ...(request as object), dispatcher })) as typeof fetch;
    });
    return (await proxied)(input, init);
  };
}
