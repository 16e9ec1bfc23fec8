import type { ServerResponse } from "node:http";
import type { ChatRequestBody, LlmScript } from "./fake-llm-types.js";
import { randomHex } from "./ids.js";

/** Writes one OpenAI chat-completion answer (SSE stream or JSON) according to a script. */
export interface AnswerContext {
  res: ServerResponse;
  body: ChatRequestBody;
  script: LlmScript;
  /** Marks a server-side drop so it is not mistaken for a client abort. */
  onDrop: () => void;
}

export async function writeAnswer({ res, body, script, onDrop }: AnswerContext): Promise<void> {
  const reasoning = script.reasoning ? splitWords(script.reasoning) : [];
  const text = script.chunks ?? splitWords(script.text ?? "");
  const base = {
    id: `chatcmpl-${randomHex(12)}`,
    created: Math.floor(Date.now() / 1000),
    model: typeof body?.model === "string" ? body.model : "fake-model",
    system_fingerprint: null,
  };
  const usage = usageOf(script, body, reasoning.length + text.length);

  if (body?.stream !== true) {
    const message: Record<string, unknown> = { role: "assistant", content: text.join("") };
    if (reasoning.length > 0) message.reasoning_content = reasoning.join("");
    message.refusal = null;
    send(res, 200, {
      ...base,
      object: "chat.completion",
      choices: [{ index: 0, message, finish_reason: "stop", logprobs: null }],
      usage,
    });
    return;
  }

  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
  });
  const chunk = (choices: unknown[], extra: object = {}) =>
    write(
      res,
      `data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices, ...extra })}\n\n`,
    );
  const delta = (d: object, finish: string | null = null) =>
    chunk([{ index: 0, delta: d, finish_reason: finish, logprobs: null }]);

  await delta({ role: "assistant", content: "" });
  const parts = [
    ...reasoning.map((r) => ({ reasoning_content: r })),
    ...text.map((t) => ({ content: t })),
  ];
  for (const [index, part] of parts.entries()) {
    if (script.dropAfterChunks !== undefined && index >= script.dropAfterChunks) {
      onDrop();
      res.destroy();
      return;
    }
    if (script.stallAfterChunks !== undefined && index >= script.stallAfterChunks) {
      // Silent until the client gives up: what a wedged upstream looks like.
      await new Promise<void>((resolve) => res.once("close", () => resolve()));
      return;
    }
    if (script.garbageAfterChunks === index) await write(res, 'data: {"choices": [{"delta"\n\n');
    if (script.chunkDelayMs) await pause(res, script.chunkDelayMs);
    if (res.destroyed) return;
    await delta(part);
  }
  if (script.dropAfterChunks !== undefined && script.dropAfterChunks >= parts.length) {
    onDrop();
    res.destroy();
    return;
  }
  await delta({}, "stop");
  if (body?.stream_options?.include_usage === true) await chunk([], { usage });
  res.end("data: [DONE]\n\n");
}

export function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return;
  const raw = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(raw)),
  });
  res.end(raw);
}

/** Resolves after `ms`, or as soon as the response is closed (client gone). */
export function pause(res: ServerResponse, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      res.off("close", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.once("close", done);
  });
}

/** Resolves once the bytes are handed to the socket, so a following drop cannot swallow them. */
function write(res: ServerResponse, data: string): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed) {
      resolve();
      return;
    }
    res.once("close", resolve);
    res.write(data, () => {
      res.off("close", resolve);
      resolve();
    });
  });
}

/** Word-sized deltas (each word keeps its trailing whitespace), like a tokenizer would. */
function splitWords(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text ? [text] : []);
}

function usageOf(script: LlmScript, body: ChatRequestBody, completionParts: number) {
  const promptWords = JSON.stringify(body?.messages ?? []).split(/\s+/).length;
  const prompt = script.usage?.prompt_tokens ?? promptWords;
  const completion = script.usage?.completion_tokens ?? completionParts;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
  };
}
