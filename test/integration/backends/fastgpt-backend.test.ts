import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BackendError } from "../../../src/backends/backend.js";
import { createFastGptBackend } from "../../../src/backends/fastgpt.js";
import type { FastGptAppConfig } from "../../../src/config/config.js";
import { createFakeFastGpt, type FakeFastGpt } from "../../kit/fake-fastgpt.js";
import { abortAfter, backendRequest, collect, failure } from "./backend-harness.js";

describe("FastGPT backend against the fake FastGPT", () => {
  let fastgpt: FakeFastGpt;
  let app: FastGptAppConfig;
  beforeAll(async () => {
    fastgpt = await createFakeFastGpt();
  });
  beforeEach(() => {
    fastgpt.reset();
    app = {
      backend: "fastgpt",
      id: "kb",
      baseUrl: `${fastgpt.url}/`,
      apiKey: fastgpt.apiKey,
      timeoutMs: 10_000,
      historyTokenBudget: 0,
      variables: { department: "sales" },
    };
  });
  afterAll(() => fastgpt.close());

  it("streams the answer in several parts and sends only the new message with the Lark ids", async () => {
    fastgpt.script({ chunks: ["The ", "answer ", "is ", "42."] });
    const backend = createFastGptBackend(app);
    const result = await collect(
      backend,
      backendRequest({ message: "what is it?", history: [{ role: "user", content: "old" }] }),
    );

    expect(backend.model).toBe("fastgpt:kb");
    expect(backend.keepsHistory).toBe(true);
    expect(result.text).toBe("The answer is 42.");
    expect(result.textParts).toBeGreaterThanOrEqual(4);
    const body = fastgpt.requests[0]?.body;
    expect(body).toMatchObject({
      chatId: result.states.fastgptChatId,
      stream: true,
      detail: true,
      messages: [{ role: "user", content: "what is it?" }],
      variables: {
        department: "sales",
        larkUserOpenId: "ou_alice",
        larkChatId: "oc_0123456789abcdef",
        larkBotId: "default",
      },
    });
  });

  it("keeps one chatId while the state is passed back, and a new one after Reset", async () => {
    const backend = createFastGptBackend(app);
    const first = await collect(backend, backendRequest({ message: "one" }));
    const chatId = first.states.fastgptChatId;
    expect(chatId).toMatch(/^p2p_oc_0123456789abcdef-[0-9a-f]{16}$/);
    expect(first.text).toBe("fastgpt echo #0: one");

    const second = await collect(
      backend,
      backendRequest({ message: "two", state: { fastgptChatId: chatId! } }),
    );
    expect(second.text).toBe("fastgpt echo #1: two");
    expect(second.states).toEqual({});
    expect(fastgpt.requests[1]?.body.chatId).toBe(chatId);

    // Reset clears the conversation's state: the next turn must not land in the old history.
    const afterReset = await collect(backend, backendRequest({ message: "three" }));
    expect(afterReset.states.fastgptChatId).toBeDefined();
    expect(afterReset.states.fastgptChatId).not.toBe(chatId);
    expect(afterReset.text).toBe("fastgpt echo #0: three");
    expect(fastgpt.chats.get(chatId!)).toHaveLength(4);
  });

  it("derives a short, safe chatId from a long conversation key", async () => {
    const key = `group:oc_${"a".repeat(40)}:ou_${"b".repeat(40)}`;
    const result = await collect(
      createFastGptBackend(app),
      backendRequest({ conversationKey: key }),
    );
    const chatId = result.states.fastgptChatId ?? "";
    expect(chatId.length).toBeLessThanOrEqual(64);
    expect(chatId).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(chatId.startsWith("group_oc_aaa")).toBe(true);
  });

  it("turns knowledge-base quotes into citations and reports the chat node's tokens", async () => {
    fastgpt.script({
      text: "Refunds take 5 days.",
      citations: [
        { sourceName: "refund-policy.pdf", q: "Refunds are processed within 5 business days." },
        {
          sourceName: "faq.md",
          q: "How long do refunds take?",
          sourceId: "https://example.com/faq",
        },
      ],
      usage: { inputTokens: 120, outputTokens: 8 },
    });
    const result = await collect(createFastGptBackend(app), backendRequest());

    expect(result.citations).toEqual([
      {
        type: "citation",
        title: "refund-policy.pdf",
        snippet: "Refunds are processed within 5 business days.",
      },
      {
        type: "citation",
        title: "faq.md",
        snippet: "How long do refunds take?",
        url: "https://example.com/faq",
      },
    ]);
    expect(result.usage).toEqual([
      { type: "usage", promptTokens: 120, completionTokens: 8, totalTokens: 128 },
    ]);
  });

  it("reads user-select and form nodes as pauses, and a pause alone is not an empty answer", async () => {
    fastgpt.script({
      text: "Which room?",
      interactive: {
        type: "userSelect",
        params: {
          description: "Pick one",
          userSelectOptions: [
            { key: "o1", value: "Room A" },
            { key: "o2", value: "Room B" },
          ],
        },
      },
    });
    fastgpt.script({
      text: "",
      interactive: {
        type: "userInput",
        params: {
          inputForm: [
            { type: "input", key: "name", label: "Name", required: true, defaultValue: "" },
            { type: "numberInput", key: "n", label: "Guests", required: false, defaultValue: 2 },
            { type: "select", key: "f", label: "Floor", list: [{ label: "1", value: "1" }] },
            { type: "switch", key: "s", label: "Parking" },
          ],
        },
      },
    });
    const backend = createFastGptBackend(app);
    const select = await collect(backend, backendRequest({ message: "book" }));
    expect(select.text).toBe("Which room?");
    expect(select.pauses).toEqual([
      {
        kind: "select",
        description: "Pick one",
        options: [
          { label: "Room A", key: "o1" },
          { label: "Room B", key: "o2" },
        ],
      },
    ]);
    const form = await collect(backend, backendRequest({ message: "register" }));
    expect(form.text).toBe("");
    expect(form.pauses).toEqual([
      {
        kind: "form",
        fields: [
          { key: "name", label: "Name", type: "text", required: true },
          { key: "n", label: "Guests", type: "number", required: false, defaultValue: "2" },
          { key: "f", label: "Floor", type: "select", required: false, options: ["1"] },
          { key: "s", label: "Parking", type: "text", required: false },
        ],
      },
    ]);
  });

  it("shows reasoning_content and <think> text as reasoning, not as the answer", async () => {
    fastgpt.script({ reasoning: "Let me check.", chunks: ["<thi", "nk>hmm</think>", "\n\nDone."] });
    const result = await collect(createFastGptBackend(app), backendRequest());
    expect(result.text).toBe("Done.");
    expect(result.reasoning).toBe("Let me check.hmm");
  });

  it("reports a refused key (HTTP 401) as auth without echoing the key", async () => {
    fastgpt.script({
      status: 401,
      errorBody: { code: 401, statusText: "unAuthorization", message: `bad key ${fastgpt.apiKey}` },
    });
    const error = await failure(createFastGptBackend(app), backendRequest());
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).code).toBe("auth");
    expect((error as BackendError).status).toBe(401);
    expect((error as BackendError).message).toContain('FastGPT app "kb"');
    expect((error as BackendError).message).not.toContain(fastgpt.apiKey);
  });

  it("reports a wrong key that FastGPT answers inside the stream as auth", async () => {
    const wrongKey = "fastgpt-wrong-key-0123456789";
    const error = await failure(
      createFastGptBackend({ ...app, apiKey: wrongKey }),
      backendRequest(),
    );
    expect((error as BackendError).code).toBe("auth");
    expect((error as BackendError).message).toContain("unAuthApiKey");
    expect((error as BackendError).message).not.toContain(wrongKey);
  });

  it("fails the turn on an error event, with FastGPT's message", async () => {
    fastgpt.script({ chunks: ["Partial "], errorEvent: "LLM model response empty" });
    const error = await failure(createFastGptBackend(app), backendRequest());
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).code).toBe("app_error");
    expect((error as BackendError).message).toContain("LLM model response empty");
  });

  it("stops quickly when the request is aborted mid-stream", async () => {
    fastgpt.script({ text: "word ".repeat(200), chunkDelayMs: 20 });
    const controller = new AbortController();
    const backend = createFastGptBackend(app);
    const error = await abortAfter(
      backend,
      backendRequest({ signal: controller.signal }),
      controller,
      3,
    );
    expect((error as BackendError).code).toBe("aborted");
    // Failed while FastGPT was still streaming (200 words, 20 ms apart): it did not wait for the end.
    expect(fastgpt.requests[0]!.completed).toBe(false);
    await expect.poll(() => fastgpt.requests[0]?.aborted).toBe(true);
  });

  it("gives up after the app's timeout", async () => {
    fastgpt.script({ hang: true });
    const error = await failure(createFastGptBackend({ ...app, timeoutMs: 200 }), backendRequest());
    expect((error as BackendError).code).toBe("timeout");
  });

  it("reports an unreachable server as a connection error", async () => {
    const gone = await createFakeFastGpt();
    await gone.close();
    const error = await failure(
      createFastGptBackend({ ...app, baseUrl: gone.url }),
      backendRequest(),
    );
    expect((error as BackendError).code).toBe("connection");
  });
});
