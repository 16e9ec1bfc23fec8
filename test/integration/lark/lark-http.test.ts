import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import * as lark from "@larksuiteoapi/node-sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { LarkHttpError, larkHttpInstance } from "../../../src/lark/outbound/lark-http.js";
import { startForwardProxy, withHttpProxy } from "../../kit/forward-proxy.js";

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
  /** The client's port: one per TCP connection. */
  port: number;
}

/** The SDK's HTTP layer on node:http, against a plain local server. */
describe("Lark HTTP transport", () => {
  let server: Server;
  let base: string;
  let seen: Seen[] = [];
  let answer: (req: IncomingMessage, res: ServerResponse) => void;
  const http = larkHttpInstance();

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        seen.push({
          method: req.method ?? "",
          url: req.url ?? "",
          headers: req.headers,
          body: Buffer.concat(chunks).toString(),
          port: req.socket.remotePort ?? 0,
        });
        answer(req, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    seen = [];
    answer = (_req, res) => {
      res.setHeader("content-type", "application/json; charset=utf-8");
      res.end(JSON.stringify({ code: 0, msg: "ok", data: { message_id: "om_1" } }));
    };
  });

  it("sends JSON with the caller's headers and query, and answers with the parsed body", async () => {
    const body = await http.request({
      method: "post",
      url: `${base}/open-apis/im/v1/messages`,
      params: { receive_id_type: "chat_id", ids: ["a", "b"], skipped: undefined },
      headers: { Authorization: "Bearer t-123", "User-Agent": "oapi-node-sdk/x" },
      data: { receive_id: "oc_1", content: '{"text":"你好"}' },
    });
    expect(body).toEqual({ code: 0, msg: "ok", data: { message_id: "om_1" } });
    const [request] = seen;
    expect(request!.method).toBe("POST");
    expect(request!.url).toBe("/open-apis/im/v1/messages?receive_id_type=chat_id&ids=a&ids=b");
    expect(request!.headers.authorization).toBe("Bearer t-123");
    expect(request!.headers["content-type"]).toMatch(/^application\/json/);
    expect(JSON.parse(request!.body)).toEqual({ receive_id: "oc_1", content: '{"text":"你好"}' });
  });

  it("reuses one connection for consecutive calls", async () => {
    for (let i = 0; i < 5; i++) await http.get(`${base}/open-apis/bot/v3/info`);
    expect(seen).toHaveLength(5);
    expect(seen[0]!.body).toBe("");
    expect(new Set(seen.map((s) => s.port)).size).toBe(1);
  });

  it("returns headers when the SDK asks for them", async () => {
    answer = (_req, res) => {
      res.setHeader("x-tt-logid", "log-1");
      res.end("{}");
    };
    const result = (await http.request({
      url: `${base}/x`,
      method: "GET",
      $return_headers: true,
    })) as { data: unknown; headers: Record<string, string> };
    expect(result.data).toEqual({});
    expect(result.headers["x-tt-logid"]).toBe("log-1");
  });

  it("rejects a non-2xx answer with its status, body and headers, as the SDK expects", async () => {
    answer = (_req, res) => {
      res.writeHead(429, { "content-type": "application/json", "x-ogw-ratelimit-reset": "2" });
      res.end(JSON.stringify({ code: 99991400, msg: "request trigger frequency limit" }));
    };
    const error = await http.post(`${base}/x`, { a: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LarkHttpError);
    const { response } = error as LarkHttpError;
    expect(response.status).toBe(429);
    expect(response.data).toEqual({ code: 99991400, msg: "request trigger frequency limit" });
    expect(response.headers["x-ogw-ratelimit-reset"]).toBe("2");
  });

  it("gives up on a server that never answers, naming it", async () => {
    answer = () => {};
    const error = await http
      .request({ url: `${base}/slow`, method: "GET", timeout: 100 })
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/no answer from 127\.0\.0\.1:\d+ within 0\.1 s/);
  });

  it("goes through HTTP_PROXY when one is configured, via the SDK's own transport", async () => {
    expect(larkHttpInstance({ outboundProxy: true })).toBe(lark.defaultHttpInstance);
    const proxy = await startForwardProxy();
    try {
      const body = await withHttpProxy(proxy.url, () =>
        larkHttpInstance({ outboundProxy: true }).get(`${base}/open-apis/bot/v3/info`),
      );
      expect(body).toEqual({ code: 0, msg: "ok", data: { message_id: "om_1" } });
      expect(proxy.relayed).toEqual([`GET ${base}/open-apis/bot/v3/info`]);
      expect(seen).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });
});
