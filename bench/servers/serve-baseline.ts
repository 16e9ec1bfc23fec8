import http from "node:http";

/**
 * What every baseline server shares: `GET /stats` answers how many pushes it handled (so the
 * bench can check that none was acked but dropped), every other request goes to `handle`, the
 * server listens on a free loopback port and logs `listening` with its URL (the line
 * child-server.ts waits for), and SIGTERM closes it.
 */
export function serveBaseline(handle: http.RequestListener, handled: () => number): void {
  const server = http.createServer((req, res) => {
    if (req.method === "GET" && req.url === "/stats") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ received: handled() }));
      return;
    }
    handle(req, res);
  });
  server.listen(0, "127.0.0.1", () => {
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    process.stdout.write(
      `${JSON.stringify({ msg: "listening", url: `http://127.0.0.1:${port}` })}\n`,
    );
  });
  process.once("SIGTERM", () => server.close(() => process.exit(0)));
}
