import { serveBaseline } from "./serve-baseline.js";

/**
 * Baseline (a), the ceiling: node:http reading each body completely and answering 200 `{}`,
 * with no verification, decryption or storage. `GET /stats` says how many pushes it read.
 */
let received = 0;
serveBaseline(
  (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (Buffer.concat(chunks).length > 0) received++;
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    });
  },
  () => received,
);
