import http from "node:http";

/**
 * Baseline (a), the ceiling: node:http reading each body completely and answering 200 `{}`,
 * with no verification, decryption or storage. `GET /stats` says how many pushes it read.
 */
let received = 0;
const server = http.createServer((req, res) => {
  if (req.method === "GET" && req.url === "/stats") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ received }));
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    if (Buffer.concat(chunks).length > 0) received++;
    res.writeHead(200, { "content-type": "application/json" });
    res.end("{}");
  });
});

server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  process.stdout.write(
    `${JSON.stringify({ msg: "listening", url: `http://127.0.0.1:${port}` })}\n`,
  );
});
process.once("SIGTERM", () => server.close(() => process.exit(0)));
