import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** Reads a request body completely. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Sends `body` as JSON, or raw when it is a Buffer. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed) return;
  const raw = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body ?? null));
  const contentType = Buffer.isBuffer(body) ? "application/octet-stream" : "application/json";
  res.writeHead(status, {
    "content-type": contentType,
    "content-length": String(raw.length),
    ...headers,
  });
  res.end(raw);
}

/** Listens on 127.0.0.1 with an OS-chosen port and returns that port. */
export function listenLocal(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Closes a server, cutting idle keep-alive and hung connections so tests never wait on them. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
