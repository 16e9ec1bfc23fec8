import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BackendError } from "../../../src/backends/backend.js";
import { createDifyBackend } from "../../../src/backends/dify.js";
import type { DifyAppConfig } from "../../../src/config/config.js";
import { createFakeDify, type FakeDify } from "../../kit/fake-dify.js";
import { abortAfter, backendRequest, collect, failure } from "./backend-harness.js";

describe("Dify backend against the fake Dify", () => {
  let dify: FakeDify;
  let app: DifyAppConfig;
  beforeAll(async () => {
    dify = await createFakeDify();
  });
  beforeEach(() => {
    dify.reset();
    app = {
      backend: "dify",
      id: "helpdesk",
      baseUrl: dify.url,
      apiKey: dify.apiKey,
      timeoutMs: 10_000,
      historyTokenBudget: 0,
      variables: { tone: "formal" },
    };
  });
  afterAll(() => dify.close());

  it("turns message_file events into files, relative links joined to the API root, the user's own skipped", async () => {
    dify.script({
      text: "",
      files: [
        { type: "image", url: "/files/tools/chart.png?timestamp=1&sign=x" },
        { type: "document", url: "https://files.example.com/q3%20report.pdf" },
        { type: "image", url: "https://files.example.com/mine.png", belongs_to: "user" },
      ],
    });
    // An answer of files only is an answer, not Dify's "empty answer" failure.
    const result = await collect(createDifyBackend(app), backendRequest({ message: "report" }));
    expect(result.text).toBe("");
    expect(result.files).toEqual([
      {
        type: "file",
        url: `${dify.url}/files/tools/chart.png?timestamp=1&sign=x`,
        name: "chart.png",
        image: true,
      },
      {
        type: "file",
        url: "https://files.example.com/q3%20report.pdf",
        name: "q3 report.pdf",
        image: false,
      },
    ]);
  });

  it("streams the answer in several parts and starts a new conversation", async () => {
    dify.script({ chunks: ["Hello", ", ", "Alice", "!"] });
    const backend = createDifyBackend(app);
    const result = await collect(backend, backendRequest({ message: "hi" }));

    expect(backend.model).toBe("dify:helpdesk");
    expect(backend.keepsHistory).toBe(true);
    expect(result.text).toBe("Hello, Alice!");
    expect(result.textParts).toBeGreaterThanOrEqual(4);
    expect(dify.requests[0]?.body).toEqual({
      inputs: { tone: "formal" },
      query: "hi",
      response_mode: "streaming",
      conversation_id: "",
      user: "ou_alice",
      auto_generate_name: false,
    });
    const conversationId = result.states.difyConversationId;
    expect(conversationId).toBeDefined();
    expect(dify.conversations.has(conversationId!)).toBe(true);
    // The state arrives before the text, so it is saved even if the answer fails later.
    expect(result.parts[0]).toEqual({
      type: "state",
      key: "difyConversationId",
      value: conversationId,
    });
  });

  it("keeps a topic thread's conversation when different people speak in it", async () => {
    const backend = createDifyBackend(app);
    const thread = "thread:omt_shared";
    const alice = await collect(
      backend,
      backendRequest({ conversationKey: thread, message: "from alice" }),
    );
    const conversationId = alice.states.difyConversationId!;
    const bob = await collect(
      backend,
      backendRequest({
        conversationKey: thread,
        message: "from bob",
        user: { openId: "ou_bob", chatId: "oc_thread", botId: "default" },
        state: { difyConversationId: conversationId },
      }),
    );
    // Same Dify conversation (no 404 and restart): Bob's turn sees Alice's.
    expect(bob.states.difyConversationId ?? conversationId).toBe(conversationId);
    expect(bob.text).toBe("dify echo #1: from bob");
  });

  it("continues the conversation while the state is passed back, and starts over after Reset", async () => {
    const backend = createDifyBackend(app);
    const first = await collect(backend, backendRequest({ message: "one" }));
    const conversationId = first.states.difyConversationId!;
    expect(first.text).toBe("dify echo #0: one");

    const second = await collect(
      backend,
      backendRequest({ message: "two", state: { difyConversationId: conversationId } }),
    );
    expect(second.text).toBe("dify echo #1: two");
    expect(second.states).toEqual({});
    expect(dify.requests[1]?.body.conversation_id).toBe(conversationId);

    const afterReset = await collect(backend, backendRequest({ message: "three" }));
    expect(afterReset.text).toBe("dify echo #0: three");
    expect(afterReset.states.difyConversationId).not.toBe(conversationId);
  });

  it("retries without the conversation when Dify no longer knows it", async () => {
    const result = await collect(
      createDifyBackend(app),
      backendRequest({
        message: "still there?",
        state: { difyConversationId: "0b6f4a1e-dead-4bee-8f00-000000000000" },
      }),
    );
    expect(result.text).toBe("dify echo #0: still there?");
    expect(dify.requests.map((r) => r.body.conversation_id)).toEqual([
      "0b6f4a1e-dead-4bee-8f00-000000000000",
      "",
    ]);
    expect(result.states.difyConversationId).toBeDefined();
    expect(dify.conversations.has(result.states.difyConversationId!)).toBe(true);
  });

  it("reports usage and retriever resources from message_end", async () => {
    dify.script({
      text: "Reset it from the portal.",
      usage: { prompt_tokens: 300, completion_tokens: 12 },
      retrieverResources: [
        { document_name: "password-reset.md", content: "Go to the portal and choose Reset." },
      ],
    });
    const result = await collect(createDifyBackend(app), backendRequest());
    expect(result.usage).toEqual([
      { type: "usage", promptTokens: 300, completionTokens: 12, totalTokens: 312 },
    ]);
    expect(result.citations).toEqual([
      {
        type: "citation",
        title: "password-reset.md",
        snippet: "Go to the portal and choose Reset.",
      },
    ]);
  });

  it("replaces the answer when Dify's output moderation does (message_replace)", async () => {
    dify.script({
      text: "something the moderation catches",
      replaceWith: "I can't help with that.",
    });
    const turn = await collect(createDifyBackend(app), backendRequest());
    expect(turn.text).toBe("I can't help with that.");
    expect(turn.parts.filter((p) => p.type === "text-replace")).toHaveLength(1);
  });

  it("shows an agent's thoughts as reasoning and its messages as the answer", async () => {
    dify.script({ thought: "I should look up the order status.", text: "Your order shipped." });
    const result = await collect(createDifyBackend(app), backendRequest());
    expect(result.reasoning).toBe("I should look up the order status.");
    expect(result.text).toBe("Your order shipped.");
  });

  it("reports HTTP 401 as auth without echoing the key", async () => {
    const wrongKey = "app-wrong-key-0123456789";
    const error = await failure(createDifyBackend({ ...app, apiKey: wrongKey }), backendRequest());
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).code).toBe("auth");
    expect((error as BackendError).status).toBe(401);
    expect((error as BackendError).message).toContain('Dify app "helpdesk"');
    expect((error as BackendError).message).not.toContain(wrongKey);
  });

  it("fails the turn on an error event, with Dify's message", async () => {
    dify.script({ chunks: ["Part"], errorEvent: { message: "Model quota reached" } });
    const error = await failure(createDifyBackend(app), backendRequest());
    expect((error as BackendError).code).toBe("app_error");
    expect((error as BackendError).message).toContain("Model quota reached");
    // The task ended by itself; there is nothing to stop.
    expect(dify.stops).toEqual([]);
  });

  it("stops quickly when aborted mid-stream and tells Dify to stop the task", async () => {
    dify.script({ text: "word ".repeat(200), chunkDelayMs: 20 });
    const controller = new AbortController();
    const backend = createDifyBackend(app);
    const error = await abortAfter(
      backend,
      backendRequest({ signal: controller.signal }),
      controller,
      3,
    );
    expect((error as BackendError).code).toBe("aborted");
    // Failed while Dify was still streaming (200 words, 20 ms apart): it did not wait for the end.
    expect(dify.requests[0]!.completed).toBe(false);
    await expect.poll(() => dify.stops.length).toBe(1);
    await expect.poll(() => dify.requests[0]?.aborted).toBe(true);
  });

  it("gives up after the app's timeout", async () => {
    dify.script({ hang: true });
    const error = await failure(createDifyBackend({ ...app, timeoutMs: 200 }), backendRequest());
    expect((error as BackendError).code).toBe("timeout");
  });
});
