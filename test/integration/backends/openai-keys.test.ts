import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BackendError } from "../../../src/backends/backend.js";
import { RATE_LIMIT_REST_MS } from "../../../src/backends/key-pool.js";
import { createOpenAiCompatibleBackend } from "../../../src/backends/openai-compatible.js";
import { createFakeLlm, type FakeLlm } from "../../kit/fake-llm.js";
import { backendRequest, collect, failure } from "./backend-harness.js";

const KEYS = ["sk-first-0000000000", "sk-second-111111111"];

describe("OpenAI-compatible backend with several keys (OPENAI_KEY=sk-1,sk-2)", () => {
  let llm: FakeLlm;
  let now = 1_000_000;
  beforeAll(async () => {
    llm = await createFakeLlm({ apiKeys: KEYS });
  });
  beforeEach(() => llm.reset());
  afterAll(() => llm.close());

  const backend = (keys = KEYS) =>
    createOpenAiCompatibleBackend({
      baseUrl: llm.url,
      apiKey: keys[0]!,
      apiKeys: keys,
      model: "fake-model",
      timeoutMs: 10_000,
      now: () => now,
    });

  it("takes turns: one question per key", async () => {
    const b = backend();
    expect((await collect(b, backendRequest({ message: "one" }))).text).toBe("echo: one");
    expect((await collect(b, backendRequest({ message: "two" }))).text).toBe("echo: two");
    expect(llm.requests.map((r) => r.apiKey)).toEqual(KEYS);
  });

  it("answers with the second key when the first answers 429, and rests the first", async () => {
    const b = backend();
    llm.script({ status: 429, errorBody: rateLimited() });
    const answer = await collect(b, backendRequest({ message: "hello" }));
    expect(answer.text).toBe("echo: hello");
    expect(llm.requests.map((r) => r.apiKey)).toEqual(KEYS);

    // The next question would start at the second key anyway; the one after skips the first.
    await collect(b, backendRequest({ message: "again" }));
    await collect(b, backendRequest({ message: "and again" }));
    expect(llm.requests.slice(2).map((r) => r.apiKey)).toEqual([KEYS[1], KEYS[1]]);

    now += RATE_LIMIT_REST_MS;
    await collect(b, backendRequest({ message: "rested" }));
    await collect(b, backendRequest({ message: "both again" }));
    expect(new Set(llm.requests.slice(4).map((r) => r.apiKey))).toEqual(new Set(KEYS));
  });

  it("moves on from a refused key (401) and from one without quota", async () => {
    const refused = backend(["sk-revoked-22222222", KEYS[1]!]);
    expect((await collect(refused, backendRequest())).text).toBe("echo: hello there");
    expect(llm.requests.map((r) => r.apiKey)).toEqual([KEYS[1]]);

    llm.reset();
    llm.script({ status: 429, errorBody: noQuota() });
    expect((await collect(backend(), backendRequest())).text).toBe("echo: hello there");
    expect(llm.requests.map((r) => r.apiKey)).toEqual(KEYS);
  });

  it("fails with the usual error when every key fails, naming keys by position only", async () => {
    llm.script({ status: 429, errorBody: rateLimited(`Limit reached for ${KEYS[0]}`) });
    llm.script({ status: 429, errorBody: rateLimited(`Limit reached for ${KEYS[1]}`) });
    const error = await failure(backend(), backendRequest());
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).code).toBe("rate_limited");
    expect((error as BackendError).message).toMatch(/every key failed: key 1: 429, key 2: 429/);
    for (const key of KEYS) expect((error as BackendError).message).not.toContain(key);
  });

  it("does not try another key for errors that any key would get", async () => {
    llm.script({ status: 500 });
    const error = await failure(backend(), backendRequest());
    expect((error as BackendError).code).toBe("server_error");
    expect(llm.requests).toHaveLength(1);
  });

  it("does not ask again once the answer has begun: the user would see it twice", async () => {
    llm.script({ chunks: ["Hel", "lo"], dropAfterChunks: 1 });
    const error = await failure(backend(), backendRequest());
    expect(error).toBeInstanceOf(BackendError);
    expect(llm.requests).toHaveLength(1);
  });

  it("sends a conversation's own model and temperature over the app's", async () => {
    await collect(backend(), backendRequest({ model: "gpt-4o", temperature: 0.2 }));
    expect(llm.requests[0]?.body).toMatchObject({ model: "gpt-4o", temperature: 0.2 });
  });
});

function rateLimited(message = "Rate limit reached for requests") {
  return { error: { message, type: "requests", param: null, code: "rate_limit_exceeded" } };
}

function noQuota() {
  return {
    error: {
      message: "You exceeded your current quota, please check your plan and billing details.",
      type: "insufficient_quota",
      param: null,
      code: "insufficient_quota",
    },
  };
}
