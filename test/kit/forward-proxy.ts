import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";

export interface ForwardProxy {
  /** `http://127.0.0.1:PORT`: the value for HTTP_PROXY. */
  url: string;
  /** `METHOD absolute-url` of every request relayed, in order. */
  relayed: string[];
  close(): Promise<void>;
}

/**
 * A corporate forward proxy for plain HTTP: it receives the absolute URL, relays the request
 * to it and streams the answer back (SSE included). HTTPS through CONNECT is not needed here:
 * every fake serves plain HTTP.
 */
export async function startForwardProxy(): Promise<ForwardProxy> {
  const relayed: string[] = [];
  const server = createServer((req, res) => {
    relayed.push(`${req.method} ${req.url}`);
    const upstream = request(req.url ?? "", { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on("error", () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    relayed,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Runs `body` with HTTP_PROXY set to `url`, restoring the variable afterwards. */
export async function withHttpProxy<T>(url: string, body: () => Promise<T>): Promise<T> {
  const saved = process.env.HTTP_PROXY;
  process.env.HTTP_PROXY = url;
  try {
    return await body();
  } finally {
    if (saved === undefined) delete process.env.HTTP_PROXY;
    else process.env.HTTP_PROXY = saved;
  }
}
