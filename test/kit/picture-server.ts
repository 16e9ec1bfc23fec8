import { createServer } from "node:http";
import { listenLocal } from "./http-json.js";

export interface PictureRoute {
  body: Buffer;
  /** What the server claims it is; the gateway must judge by the bytes. */
  contentType?: string;
  /** Answer with a redirect to this path or URL instead. */
  redirect?: string;
  /** Wait this long before answering (the fetch time limit). */
  delayMs?: number;
}

/**
 * A picture host on loopback, standing for the web servers an answer's image links point to:
 * serves what each test puts at a path, and records every path asked for (so a test can show
 * that a refused link was never fetched).
 */
export async function createPictureServer() {
  const routes = new Map<string, PictureRoute>();
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = req.url ?? "/";
    requests.push(path);
    const route = routes.get(path);
    if (!route) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    const answer = () => {
      if (res.destroyed) return;
      if (route.redirect) {
        res.writeHead(302, { location: route.redirect }).end();
        return;
      }
      res.writeHead(200, {
        "content-type": route.contentType ?? "application/octet-stream",
        "content-length": String(route.body.length),
      });
      res.end(route.body);
    };
    if (route.delayMs) setTimeout(answer, route.delayMs);
    else answer();
  });
  const port = await listenLocal(server);
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    requests,
    /** Serves `route` at `path` and returns its full URL. */
    serve(path: string, route: PictureRoute): string {
      routes.set(path, route);
      return `${origin}${path}`;
    },
    reset(): void {
      routes.clear();
      requests.length = 0;
    },
    close(): Promise<void> {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export type PictureServer = Awaited<ReturnType<typeof createPictureServer>>;
