import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createBackend } from "../../../src/backends/create-backend.js";
import type { AppConfig } from "../../../src/config/config.js";
import { createFakeFastGpt, type FakeFastGpt } from "../../kit/fake-fastgpt.js";
import { createFakeLlm, type FakeLlm } from "../../kit/fake-llm.js";
import { type ForwardProxy, startForwardProxy, withHttpProxy } from "../../kit/forward-proxy.js";
import { backendRequest, collect } from "./backend-harness.js";

/**
 * Behind a corporate proxy the LLM is only reachable through it: with HTTP(S)_PROXY set, the
 * calls to every kind of app go through the proxy, streaming included.
 */
describe("LLM calls through HTTP_PROXY", () => {
  let llm: FakeLlm;
  let fastgpt: FakeFastGpt;
  let proxy: ForwardProxy;
  let openaiApp: AppConfig;
  let fastgptApp: AppConfig;
  beforeAll(async () => {
    [llm, fastgpt, proxy] = await Promise.all([
      createFakeLlm(),
      createFakeFastGpt(),
      startForwardProxy(),
    ]);
    openaiApp = {
      backend: "openai",
      id: "chat",
      baseUrl: llm.url,
      apiKey: llm.apiKey,
      model: "fake-model",
      timeoutMs: 10_000,
      historyTokenBudget: 1000,
    };
    fastgptApp = {
      backend: "fastgpt",
      id: "kb",
      baseUrl: fastgpt.url,
      apiKey: fastgpt.apiKey,
      timeoutMs: 10_000,
      historyTokenBudget: 0,
    };
  });
  beforeEach(() => {
    proxy.relayed.length = 0;
    llm.reset();
    fastgpt.reset();
  });
  afterAll(async () => {
    await Promise.all([llm?.close(), fastgpt?.close(), proxy?.close()]);
  });

  it("streams an OpenAI-compatible answer through the proxy", async () => {
    llm.script({ text: "through the proxy" });
    const result = await withHttpProxy(proxy.url, () =>
      collect(createBackend(openaiApp, { outboundProxy: true }), backendRequest()),
    );
    expect(result.text).toBe("through the proxy");
    expect(proxy.relayed).toEqual([`POST ${llm.url}/chat/completions`]);
  });

  it("sends a FastGPT question through the proxy", async () => {
    fastgpt.script({ chunks: ["relayed ", "answer"] });
    const result = await withHttpProxy(proxy.url, () =>
      collect(createBackend(fastgptApp, { outboundProxy: true }), backendRequest()),
    );
    expect(result.text).toBe("relayed answer");
    expect(proxy.relayed).toEqual([`POST ${fastgpt.url}/api/v1/chat/completions`]);
  });

  it("goes direct when no proxy is configured", async () => {
    llm.script({ text: "direct" });
    const result = await collect(createBackend(openaiApp), backendRequest());
    expect(result.text).toBe("direct");
    expect(proxy.relayed).toEqual([]);
  });
});
