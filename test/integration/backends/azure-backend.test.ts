import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { BackendError } from "../../../src/backends/backend.js";
import { createBackend, createPictureMaker } from "../../../src/backends/create-backend.js";
import type { AzureAppConfig } from "../../../src/config/config.js";
import { readEnvConfig } from "../../../src/config/read-env-config.js";
import { createFakeLlm, type FakeLlm } from "../../kit/fake-llm.js";
import { backendRequest, collect, failure } from "./backend-harness.js";

const AZURE_KEY = "0123456789abcdef0123456789abcdef";

describe("Azure OpenAI (AZURE_ON and Feishu-OpenAI's variables)", () => {
  let llm: FakeLlm;
  beforeAll(async () => {
    llm = await createFakeLlm({ apiKey: AZURE_KEY });
  });
  beforeEach(() => llm.reset());
  afterEach(() => vi.unstubAllEnvs());
  afterAll(() => llm.close());

  /** The app the environment describes, as a Feishu-OpenAI user would set it. */
  const envApp = (extra: Record<string, string> = {}) =>
    readEnvConfig({
      APP_ID: "cli_a41fe20b2539d00b",
      APP_SECRET: "s3cret",
      AZURE_ON: "true",
      AZURE_ENDPOINT: llm.azureEndpoint,
      AZURE_DEPLOYMENT_NAME: "gpt4o-prod",
      AZURE_API_VERSION: "2024-10-21",
      AZURE_OPENAI_TOKEN: AZURE_KEY,
      ...extra,
    }).bots[0]!.app as AzureAppConfig;

  it("posts to the deployment with the api-key header and api-version, and streams the answer", async () => {
    llm.script({
      chunks: ["Bonjour", " à", " tous"],
      usage: { prompt_tokens: 4, completion_tokens: 3 },
    });
    const answer = await collect(createBackend(envApp()), backendRequest({ message: "salut" }));
    expect(answer.text).toBe("Bonjour à tous");
    expect(answer.textParts).toBe(3);
    expect(answer.usage).toEqual([
      { type: "usage", promptTokens: 4, completionTokens: 3, totalTokens: 7 },
    ]);

    const [request] = llm.requests;
    expect(request?.path).toBe("/openai/deployments/gpt4o-prod/chat/completions");
    expect(request?.query["api-version"]).toBe("2024-10-21");
    expect(request?.headers["api-key"]).toBe(AZURE_KEY);
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.body).toMatchObject({ model: "gpt4o-prod", stream: true });
  });

  it("leaves out stream_options for API versions before 2024-09-01, which refuse it", async () => {
    const backend = createBackend(envApp({ AZURE_API_VERSION: "2023-03-15-preview" }));
    expect((await collect(backend, backendRequest())).text).toBe("echo: hello there");
    expect(llm.requests[0]?.query["api-version"]).toBe("2023-03-15-preview");
    expect(llm.requests[0]?.body).not.toHaveProperty("stream_options");
  });

  it("is not confused by OPENAI_BASE_URL in the process environment", async () => {
    vi.stubEnv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1");
    expect((await collect(createBackend(envApp()), backendRequest())).text).toBe(
      "echo: hello there",
    );
  });

  it("says the key was refused, without the key", async () => {
    const error = await failure(
      createBackend(envApp({ AZURE_OPENAI_TOKEN: "ffffffffffffffffffffffffffffffff" })),
      backendRequest(),
    );
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).code).toBe("auth");
    expect((error as BackendError).message).not.toContain("ffffffffffffffff");
  });

  it("switches deployment when the conversation picks another model", async () => {
    await collect(createBackend(envApp()), backendRequest({ model: "gpt4o-mini-eu" }));
    expect(llm.requests[0]?.path).toBe("/openai/deployments/gpt4o-mini-eu/chat/completions");
  });

  it("draws pictures on the image deployment OPENAI_IMAGE_MODEL names, with the same key", async () => {
    const maker = createPictureMaker(envApp({ OPENAI_IMAGE_MODEL: "dalle3-prod" }))!;
    const picture = await maker.create({
      prompt: "a harbour",
      shape: "portrait",
      style: "vivid",
      user: "ou_alice",
      signal: new AbortController().signal,
    });
    const [request] = llm.images.requests;
    expect(request?.path).toBe("/openai/deployments/dalle3-prod/images/generations");
    expect(request?.query["api-version"]).toBe("2024-10-21");
    expect(request?.headers["api-key"]).toBe(AZURE_KEY);
    // A deployment named after dall-e-3 gets dall-e-3's sizes and style.
    expect(request?.fields).toMatchObject({
      prompt: "a harbour",
      size: "1024x1792",
      style: "vivid",
      response_format: "b64_json",
    });
    expect(picture.data.equals(request!.answered!)).toBe(true);
  });
});
