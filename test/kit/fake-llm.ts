import http, { type IncomingMessage, type ServerResponse } from "node:http";
import { pause, send, writeAnswer } from "./fake-llm-answer.js";
import { createFakeImages } from "./fake-llm-image-routes.js";
import { openAiError, routeLlmRequest } from "./fake-llm-routes.js";
import { createFakeTranscriptions } from "./fake-llm-transcription-routes.js";
import type {
  ChatRequestBody,
  FakeLlm,
  FakeLlmOptions,
  LlmRequest,
  LlmScript,
  LlmScriptSource,
} from "./fake-llm-types.js";
import { closeServer, listenLocal, readBody } from "./http-json.js";
import { randomHex } from "./ids.js";
import { createScriptedAnswers } from "./scripted-answers.js";

export type * from "./fake-llm-types.js";

/** The default answer, so a test that scripts nothing still sees its input come back. */
const ECHO: LlmScriptSource = (body) => ({ text: `echo: ${lastUserText(body)}` });

/**
 * An OpenAI-compatible chat-completions server on 127.0.0.1 with scripted answers: streaming
 * (SSE, optional usage chunk) or JSON, delays, errors, hangs and mid-stream drops. It is also
 * an Azure OpenAI resource (`azureEndpoint`), and accepts several keys (`apiKeys`), each
 * request recording which key it came with.
 *
 * @example
 * const llm = await createFakeLlm();
 * llm.script({ text: "Hello there", chunkDelayMs: 5 });
 * const openai = new OpenAI({ baseURL: llm.url, apiKey: llm.apiKey });
 */
export async function createFakeLlm(options: FakeLlmOptions = {}): Promise<FakeLlm> {
  const apiKeys = options.apiKeys ?? [options.apiKey ?? `sk-fake-${randomHex(12)}`];
  const apiKey = apiKeys[0]!;
  const model = options.model ?? "fake-model";
  const answers = createScriptedAnswers<LlmScriptSource, LlmRequest>("LLM", ECHO);
  const { requests } = answers;
  let closing = false;
  let port = 0;
  const images = createFakeImages(() => `http://127.0.0.1:${port}`);
  const transcriptions = createFakeTranscriptions();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const at = performance.now();
    const raw = await readBody(req);
    if (
      req.method === "GET" &&
      images.serveFile(new URL(req.url ?? "/", "http://x").pathname, res)
    ) {
      return;
    }
    const route = routeLlmRequest(req, apiKeys);
    if (route.kind === "refused") {
      send(res, route.status, route.body);
      return;
    }
    if (route.kind === "images") {
      await images.handle(req, res, raw, route);
      return;
    }
    if (route.kind === "transcriptions") {
      await transcriptions.handle(req, res, raw, route);
      return;
    }
    if (route.kind === "models") {
      const created = Math.floor(Date.now() / 1000);
      send(res, 200, {
        object: "list",
        data: [{ id: model, object: "model", created, owned_by: "fake" }],
      });
      return;
    }
    let body: ChatRequestBody;
    try {
      body = JSON.parse(raw.toString("utf8"));
    } catch {
      send(
        res,
        400,
        openAiError("We could not parse the JSON body of your request.", "invalid_request_error"),
      );
      return;
    }

    const record: LlmRequest = {
      body,
      headers: req.headers,
      path: route.path,
      query: route.query,
      apiKey: route.apiKey,
      at,
      aborted: false,
      completed: false,
      closed: false,
    };
    requests.push(record);
    let dropped = false;
    res.on("close", () => {
      record.completed = res.writableFinished;
      record.closed = true;
      if (!res.writableFinished && !dropped && !closing) record.aborted = true;
    });

    const source = answers.next();
    const script: LlmScript = typeof source === "function" ? source(body) : source;
    if (script.hang) return;
    if (script.delayMs) await pause(res, script.delayMs);
    if (res.destroyed) return;
    if (script.status !== undefined && script.status >= 400) {
      send(
        res,
        script.status,
        script.errorBody ?? openAiError(`scripted ${script.status}`, "server_error"),
      );
      return;
    }
    await writeAnswer({ res, body, script, onDrop: () => (dropped = true) });
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      send(res, 500, openAiError(`fake-llm internal error: ${String(error)}`, "server_error"));
    });
  });
  port = await listenLocal(server);

  return {
    url: `http://127.0.0.1:${port}/v1`,
    azureEndpoint: `http://127.0.0.1:${port}`,
    apiKey,
    apiKeys,
    ...answers.controls,
    images: images.controls,
    transcriptions: transcriptions.controls,
    reset: () => {
      answers.reset();
      images.reset();
      transcriptions.reset();
    },
    close: async () => {
      closing = true;
      await closeServer(server);
    },
  };
}

/** Text of the last `user` message; content may be a string or an array of parts. */
export function lastUserText(body: { messages?: unknown }): string {
  type Part = { type?: unknown; text?: unknown };
  type Message = { role?: unknown; content?: unknown };
  const messages: Message[] = Array.isArray(body?.messages) ? body.messages : [];
  const content = messages.filter((m) => m?.role === "user").at(-1)?.content;
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .filter((p: Part) => p?.type === "text" && typeof p.text === "string")
    .map((p: Part) => p.text)
    .join("");
}
