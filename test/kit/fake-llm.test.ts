import OpenAI, { type APIError, AzureOpenAI, toFile } from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createFakeLlm, type FakeLlm } from "./fake-llm.js";

describe("fake LLM with the openai client", () => {
  let llm: FakeLlm;
  let openai: OpenAI;
  beforeAll(async () => {
    llm = await createFakeLlm();
    openai = new OpenAI({ baseURL: llm.url, apiKey: llm.apiKey, maxRetries: 0 });
  });
  beforeEach(() => llm.reset());
  afterAll(() => llm.close());

  const ask = (content: string) => [{ role: "user" as const, content }];

  it("streams scripted chunks, reasoning first, then a usage chunk", async () => {
    llm.script({
      chunks: ["Hel", "lo", "!"],
      reasoning: "think",
      usage: { prompt_tokens: 7, completion_tokens: 3 },
    });
    const stream = await openai.chat.completions.create({
      model: "m1",
      messages: ask("hi"),
      stream: true,
      stream_options: { include_usage: true },
    });
    const deltas: string[] = [];
    const reasoning: string[] = [];
    let usage: OpenAI.CompletionUsage | undefined;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      const delta = choice?.delta as { content?: string; reasoning_content?: string } | undefined;
      if (delta?.reasoning_content) {
        expect(deltas).toEqual([]);
        reasoning.push(delta.reasoning_content);
      }
      if (delta?.content) deltas.push(delta.content);
      if (choice?.finish_reason) finish = choice.finish_reason;
      if (chunk.usage) usage = chunk.usage;
      expect(chunk.model).toBe("m1");
    }
    expect(deltas).toEqual(["Hel", "lo", "!"]);
    expect(reasoning.join("")).toBe("think");
    expect(finish).toBe("stop");
    expect(usage).toEqual({ prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 });
    expect(llm.requests[0]?.body.messages).toEqual(ask("hi"));
    expect(llm.requests[0]?.completed).toBe(true);
  });

  it("omits the usage chunk unless asked, and echoes by default without streaming", async () => {
    const stream = await openai.chat.completions.create({
      model: "m",
      messages: ask("one two three"),
      stream: true,
    });
    let text = "";
    for await (const chunk of stream) {
      expect(chunk.usage ?? undefined).toBeUndefined();
      text += chunk.choices[0]?.delta.content ?? "";
    }
    expect(text).toBe("echo: one two three");
    const plain = await openai.chat.completions.create({ model: "m", messages: ask("plain") });
    expect(plain.choices[0]?.message.content).toBe("echo: plain");
    expect(plain.usage?.total_tokens).toBeGreaterThan(0);
  });

  it("rejects a wrong API key with a 401 OpenAI error", async () => {
    const wrong = new OpenAI({ baseURL: llm.url, apiKey: "sk-wrong", maxRetries: 0 });
    const error = await wrong.models.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(llm.requests).toHaveLength(0);
    const models = await openai.models.list();
    expect(models.data.map((m) => m.id)).toEqual(["fake-model"]);
  });

  it("answers scripted errors, delays and uses a function script per request", async () => {
    llm.script({ status: 503, delayMs: 50 });
    const started = performance.now();
    const error = await openai.chat.completions
      .create({ model: "m", messages: ask("x") })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as APIError).status).toBe(503);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    llm.setDefault((body) => ({ text: `model=${body.model}` }));
    const res = await openai.chat.completions.create({ model: "m9", messages: ask("x") });
    expect(res.choices[0]?.message.content).toBe("model=m9");
  });

  it("records a client abort of a hung request", async () => {
    llm.script({ hang: true });
    const controller = new AbortController();
    const pending = openai.chat.completions
      .create({ model: "m", messages: ask("x"), stream: true }, { signal: controller.signal })
      .catch((e: unknown) => e);
    await llm.waitForRequests(1);
    expect(llm.requests[0]?.aborted).toBe(false);
    controller.abort();
    expect(await pending).toBeInstanceOf(OpenAI.APIUserAbortError);
    const [request] = await llm.waitForRequests(1);
    await expect.poll(() => request?.aborted).toBe(true);
  });

  it("drops the connection mid-stream without counting it as a client abort", async () => {
    llm.script({ chunks: ["a", "b", "c"], dropAfterChunks: 2 });
    const stream = await openai.chat.completions.create({
      model: "m",
      messages: ask("x"),
      stream: true,
    });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? "");
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(seen.join("")).toBe("ab");
    await expect.poll(() => llm.requests[0]?.closed).toBe(true);
    expect(llm.requests[0]).toMatchObject({ completed: false, aborted: false });
  });

  it("is an Azure OpenAI resource too: deployment path, api-key header, api-version required", async () => {
    const azure = new AzureOpenAI({
      baseURL: `${llm.azureEndpoint}/openai`,
      apiKey: llm.apiKey,
      apiVersion: "2024-10-21",
      maxRetries: 0,
    });
    const res = await azure.chat.completions.create({
      model: "my-deployment",
      messages: ask("hi"),
    });
    expect(res.choices[0]?.message.content).toBe("echo: hi");
    expect(llm.requests[0]).toMatchObject({
      path: "/openai/deployments/my-deployment/chat/completions",
      query: { "api-version": "2024-10-21" },
      apiKey: llm.apiKey,
    });

    const wrongKey = new AzureOpenAI({
      baseURL: `${llm.azureEndpoint}/openai`,
      apiKey: "0000",
      apiVersion: "2024-10-21",
      maxRetries: 0,
    });
    const refused = await wrongKey.chat.completions
      .create({ model: "my-deployment", messages: ask("hi") })
      .catch((e: unknown) => e);
    expect((refused as APIError).status).toBe(401);
    const noVersion = await fetch(
      `${llm.azureEndpoint}/openai/deployments/my-deployment/chat/completions`,
      { method: "POST", headers: { "api-key": llm.apiKey }, body: "{}" },
    );
    expect(noVersion.status).toBe(404);
    expect(llm.requests).toHaveLength(1);
  });

  it("accepts every key it was given, recording which one each request used", async () => {
    const multi = await createFakeLlm({ apiKeys: ["sk-a", "sk-b"] });
    try {
      for (const apiKey of ["sk-b", "sk-a"]) {
        const client = new OpenAI({ baseURL: multi.url, apiKey, maxRetries: 0 });
        await client.chat.completions.create({ model: "m", messages: ask("x") });
      }
      expect(multi.requests.map((r) => r.apiKey)).toEqual(["sk-b", "sk-a"]);
      expect(multi.apiKey).toBe("sk-a");
    } finally {
      await multi.close();
    }
  });

  it("draws pictures as OpenAI's images API does, refusing what a model cannot do", async () => {
    const drawn = await openai.images.generate({
      model: "dall-e-3",
      prompt: "a fox",
      size: "1792x1024",
      response_format: "b64_json",
    });
    const bytes = Buffer.from(drawn.data?.[0]?.b64_json ?? "", "base64");
    expect(bytes.equals(llm.images.requests[0]!.answered!)).toBe(true);

    const linked = await openai.images.generate({ model: "dall-e-2", prompt: "a fox" });
    const fetched = await fetch(linked.data?.[0]?.url ?? "");
    expect(Buffer.from(await fetched.arrayBuffer()).equals(llm.images.requests[1]!.answered!)).toBe(
      true,
    );

    const refused = (call: Promise<unknown>) =>
      call.then(
        () => undefined,
        (e: APIError) => `${e.status} ${e.message}`,
      );
    expect(
      await refused(openai.images.generate({ model: "dall-e-3", prompt: "x", size: "256x256" })),
    ).toMatch(/^400 .*Invalid value: '256x256'/);
    const image = await toFile(Buffer.from("png"), "a.png", { type: "image/png" });
    expect(await refused(openai.images.edit({ model: "dall-e-3", image, prompt: "x" }))).toMatch(
      /^400 .*Edits are supported for dall-e-2 and gpt-image-1/,
    );
    const edited = await openai.images.edit({ model: "gpt-image-1", image, prompt: "redo" });
    expect(edited.data?.[0]?.b64_json).toBeDefined();
    expect(llm.images.requests.at(-1)!.image?.toString()).toBe("png");
  });

  it("transcribes as OpenAI's audio API does: a real multipart file, heard by its exact bytes", async () => {
    const voice = Buffer.from("OggS\0\u0002voice bytes");
    llm.transcriptions.hear(voice, "What is the capital of France?");
    const heard = await openai.audio.transcriptions.create({
      model: "whisper-1",
      file: await toFile(voice, "voice.ogg", { type: "audio/ogg" }),
    });
    expect(heard.text).toBe("What is the capital of France?");
    const [request] = llm.transcriptions.requests;
    expect(request!.fields.model).toBe("whisper-1");
    expect(request!.file).toMatchObject({ name: "voice.ogg", type: "audio/ogg" });
    expect(request!.file.data.equals(voice)).toBe(true);

    const other = await openai.audio.transcriptions.create({
      model: "whisper-1",
      file: await toFile(Buffer.from("OggS other"), "voice.ogg"),
    });
    expect(other.text).toBe("");

    const refused = (call: Promise<unknown>) =>
      call.then(
        () => undefined,
        (e: APIError) => `${e.status} ${e.message}`,
      );
    const file = () => toFile(voice, "voice.ogg");
    expect(
      await refused(
        openai.audio.transcriptions.create({ model: "gpt-4o-mini", file: await file() }),
      ),
    ).toMatch(/^400 .*cannot transcribe/);
    expect(
      await refused(
        openai.audio.transcriptions.create({
          model: "whisper-1",
          file: await toFile(voice, "v.txt"),
        }),
      ),
    ).toMatch(/^400 .*Invalid file format/);
    expect(
      await refused(
        openai.audio.transcriptions.create({
          model: "whisper-1",
          file: await toFile(Buffer.from("RIFF"), "v.ogg"),
        }),
      ),
    ).toMatch(/^400 .*Audio file might be corrupted/);
    llm.transcriptions.script({ status: 503 });
    expect(
      await refused(openai.audio.transcriptions.create({ model: "whisper-1", file: await file() })),
    ).toMatch(/^503/);

    const azure = new AzureOpenAI({
      baseURL: `${llm.azureEndpoint}/openai`,
      apiKey: llm.apiKey,
      apiVersion: "2024-10-21",
      maxRetries: 0,
    });
    const viaAzure = await azure.audio.transcriptions.create({
      model: "my-whisper",
      file: await file(),
    });
    expect(viaAzure.text).toBe("What is the capital of France?");
    expect(llm.transcriptions.requests.at(-1)).toMatchObject({
      path: "/openai/deployments/my-whisper/audio/transcriptions",
      query: { "api-version": "2024-10-21" },
    });
  });
});
