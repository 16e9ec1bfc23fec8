import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { messageText } from "../kit/fake-lark.js";
import { randomHex } from "../kit/ids.js";
import { encryptLarkPayload, signLarkRequest } from "../kit/lark-crypto.js";
import { challengeBody } from "../kit/lark-events.js";
import { useE2eKit } from "./e2e-kit.js";

const FIXTURES = new URL("../unit/config/fixtures/", import.meta.url);
const CERT_FILE = fileURLToPath(new URL("cert.pem", FIXTURES));
const KEY_FILE = fileURLToPath(new URL("key.pem", FIXTURES));
/** The fixture is self-signed for localhost and 127.0.0.1: trusting it checks the whole chain. */
const CA = readFileSync(CERT_FILE);
const ENCRYPT_KEY = "https-encrypt-key";
const TOKEN = "https-token";

/** A port nothing listens on right now, for HTTPS_PORT. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

interface Answer {
  status: number;
  body: string;
}

function request(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const client = url.startsWith("https:") ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      { method: options.method ?? "GET", headers: options.headers, ca: CA },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

/** A push as Lark makes it to an https Request URL: encrypted, signed over the bytes sent. */
function pushOverHttps(url: string, envelope: object): Promise<Answer> {
  const body = JSON.stringify({
    encrypt: encryptLarkPayload(ENCRYPT_KEY, JSON.stringify(envelope)),
  });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = randomHex(8);
  return request(url, {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "x-lark-request-timestamp": timestamp,
      "x-lark-request-nonce": nonce,
      "x-lark-signature": signLarkRequest(timestamp, nonce, ENCRYPT_KEY, body),
    },
  });
}

/** Feishu-OpenAI's USE_HTTPS: the gateway serves HTTPS itself, and HTTP on HTTP_PORT too. */
describe("USE_HTTPS (e2e)", () => {
  let httpsPort = 0;
  const kit = useE2eKit({
    chatPrefix: "tls",
    encryptKey: ENCRYPT_KEY,
    verificationToken: TOKEN,
    env: async (k) => {
      httpsPort = await freePort();
      return {
        ...k.defaultBotEnv(),
        USE_HTTPS: "true",
        HTTPS_PORT: String(httpsPort),
        CERT_FILE,
        KEY_FILE,
      };
    },
  });
  const httpsUrl = () => `https://127.0.0.1:${httpsPort}`;

  it("logs its https:// address on HTTPS_PORT", () => {
    const ready = kit.gateway.logs.find((l) => l.msg === "larkgate listening");
    expect(ready?.httpsUrl).toBe(httpsUrl());
    expect(ready?.url).toBe(kit.gateway.url);
  });

  it("answers /ping over HTTPS with a certificate that verifies, and over HTTP", async () => {
    expect(await request(`${httpsUrl()}/ping`)).toEqual({ status: 200, body: "pong" });
    expect(await request(`${kit.gateway.url}/ping`)).toEqual({ status: 200, body: "pong" });
    const health = await request(`${httpsUrl()}/healthz`);
    expect(JSON.parse(health.body)).toMatchObject({ status: "ok", bots: ["default"] });
  });

  it("does not speak plain HTTP on the HTTPS port", async () => {
    const plain = await request(`http://127.0.0.1:${httpsPort}/ping`).catch(() => undefined);
    expect(plain?.body).not.toBe("pong");
  });

  it("answers Lark's URL verification over HTTPS", async () => {
    const answer = await pushOverHttps(
      `${httpsUrl()}/webhook/event`,
      challengeBody(TOKEN, "tls-challenge"),
    );
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ challenge: "tls-challenge" });
  });

  it("answers a message Lark pushes over HTTPS", async () => {
    const event = kit.message("hello over TLS");
    const ack = await pushOverHttps(`${httpsUrl()}/webhook/event`, event);
    expect(ack.status).toBe(200);
    const [reply] = await kit.answersTo(event.event.message.message_id);
    expect(messageText(reply!)).toContain("echo: hello over TLS");
  });
});
