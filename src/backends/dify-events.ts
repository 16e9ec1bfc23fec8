import type { BackendPart } from "./backend.js";
import { numberField, stringField } from "./backend-http.js";
import { createThinkTagSplitter } from "./think-tag-splitter.js";

/**
 * Turns Dify's streaming events (`message`, `agent_message`, `agent_thought`, `message_end`…)
 * into backend parts, remembering what the stop call and the state need along the way.
 */
export interface DifyEventReader {
  read(data: object): Generator<BackendPart>;
  /** Releases text held back by the `<think>` splitter; call once the stream is over. */
  flush(): Generator<BackendPart>;
  /** The id `POST /chat-messages/:task_id/stop` needs, once an event carried it. */
  taskId(): string | undefined;
  /** Whether `message_end` arrived (nothing left to stop). */
  ended(): boolean;
  sawText(): boolean;
}

/**
 * `requestedConversationId`: what the request sent ("" for a new conversation); `baseUrl`: the
 * Dify API root, which file links without a host (Dify without FILES_URL) are relative to.
 */
export function createDifyEventReader(
  requestedConversationId: string,
  baseUrl = "http://localhost",
): DifyEventReader {
  let splitter = createThinkTagSplitter();
  let taskId: string | undefined;
  let conversationSeen = false;
  let ended = false;
  let sawText = false;
  let answer = "";
  const thoughts = new Map<string, { thought: string; tool: string }>();

  function* text(pieces: ReturnType<typeof splitter.push>): Generator<BackendPart> {
    for (const piece of pieces) {
      if (piece.kind === "text") sawText = true;
      yield { type: piece.kind === "text" ? "text-delta" : "reasoning-delta", text: piece.text };
    }
  }

  function* thought(data: object): Generator<BackendPart> {
    const id = stringField(data, "id") ?? "";
    const seen = thoughts.get(id) ?? { thought: "", tool: "" };
    const tool = stringField(data, "tool") ?? "";
    if (tool && tool !== seen.tool) yield { type: "reasoning-delta", text: `Using ${tool}\n` };
    const full = stringField(data, "thought") ?? "";
    thoughts.set(id, { thought: full, tool: tool || seen.tool });
    // Each event repeats the whole thought so far; only the new tail is news.
    const fresh = full.startsWith(seen.thought) ? full.slice(seen.thought.length) : full;
    // Function-calling agents report the answer they just streamed as a "thought" too.
    if (fresh.trim() && !answer.includes(full.trim())) {
      yield { type: "reasoning-delta", text: fresh };
    }
  }

  function* end(data: object): Generator<BackendPart> {
    ended = true;
    const metadata = (data as { metadata?: unknown }).metadata;
    const usage =
      metadata && typeof metadata === "object"
        ? (metadata as { usage?: unknown }).usage
        : undefined;
    if (usage && typeof usage === "object") {
      const part: BackendPart = { type: "usage" };
      const prompt = numberField(usage, "prompt_tokens");
      const completion = numberField(usage, "completion_tokens");
      const total = numberField(usage, "total_tokens");
      if (prompt !== undefined) part.promptTokens = prompt;
      if (completion !== undefined) part.completionTokens = completion;
      if (total !== undefined) part.totalTokens = total;
      if (prompt !== undefined || completion !== undefined || total !== undefined) yield part;
    }
    const resources =
      metadata && typeof metadata === "object"
        ? (metadata as { retriever_resources?: unknown }).retriever_resources
        : undefined;
    if (Array.isArray(resources)) {
      for (const resource of resources) {
        const title =
          stringField(resource, "document_name") ?? stringField(resource, "dataset_name");
        const snippet = stringField(resource, "content");
        if (!title && !snippet) continue;
        const citation: BackendPart = { type: "citation", title: title || "knowledge base" };
        if (snippet) citation.snippet = snippet;
        yield citation;
      }
    }
  }

  /** A file the app made (`message_file`); the user's own files are echoed too, and skipped. */
  function* file(data: object): Generator<BackendPart> {
    if (stringField(data, "belongs_to") === "user") return;
    const link = stringField(data, "url");
    if (!link) return;
    let url: URL;
    try {
      url = new URL(link, `${baseUrl.replace(/\/+$/, "")}/`);
    } catch {
      return;
    }
    sawText = true;
    const fromPath = decodeURIComponent(url.pathname.split("/").pop() ?? "");
    const name = stringField(data, "filename") ?? (fromPath || "file");
    const type = stringField(data, "type") ?? "";
    const mime = stringField(data, "mime_type") ?? "";
    yield {
      type: "file",
      url: url.toString(),
      name,
      image: type === "image" || mime.startsWith("image/"),
    };
  }

  return {
    *read(data) {
      const name = stringField(data, "event");
      taskId ??= stringField(data, "task_id");
      const conversationId = stringField(data, "conversation_id");
      if (conversationId && !conversationSeen) {
        conversationSeen = true;
        if (conversationId !== requestedConversationId) {
          yield { type: "state", key: "difyConversationId", value: conversationId };
        }
      }
      switch (name) {
        case "message":
        case "agent_message": {
          const delta = stringField(data, "answer");
          if (delta) {
            answer += delta;
            yield* text(splitter.push(delta));
          }
          break;
        }
        case "message_replace": {
          // Output moderation caught the answer: the app's preset reply replaces all of it, and
          // that is what the user must see and the chat log keep.
          answer = stringField(data, "answer") ?? "";
          splitter = createThinkTagSplitter();
          if (answer) sawText = true;
          yield { type: "text-replace", text: answer };
          break;
        }
        case "agent_thought":
          yield* thought(data);
          break;
        case "message_end":
          yield* end(data);
          break;
        case "message_file":
          yield* file(data);
          break;
        // ping, workflow_*, node_*, tts_*: nothing to show in Lark.
      }
    },
    *flush() {
      yield* text(splitter.flush());
    },
    taskId: () => taskId,
    ended: () => ended,
    sawText: () => sawText,
  };
}
