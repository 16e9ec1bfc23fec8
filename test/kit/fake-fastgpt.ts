import http, { type IncomingMessage, type ServerResponse } from "node:http";
import { lastUserText } from "./fake-llm.js";
import { pause } from "./fake-llm-answer.js";
import { closeServer, listenLocal, readBody, sendJson } from "./http-json.js";
import { randomHex } from "./ids.js";
import {
  createScriptedAnswers,
  type RecordedRequest,
  recordRequest,
  type ScriptedFake,
  startScripted,
} from "./scripted-answers.js";

/** How the fake answers one chat call. */
export interface FastGptScript {
  text?: string;
  /** Exact `answer` deltas; overrides the word-by-word split of `text`. */
  chunks?: string[];
  /** Sent as `delta.reasoning_content` before the text. */
  reasoning?: string;
  /** Knowledge-base quotes, reported by a `datasetSearchNode` in `flowResponses`. */
  citations?: Array<{ sourceName: string; q: string; a?: string; sourceId?: string }>;
  /** Reported by the chat node in `flowResponses` (defaults to word counts). */
  usage?: { inputTokens: number; outputTokens: number };
  /** Answer with this HTTP status and `errorBody` (FastGPT's `{code, statusText, message}`). */
  status?: number;
  errorBody?: unknown;
  /** After the chunks, end with FastGPT's `error` event carrying this message. */
  errorEvent?: string;
  delayMs?: number;
  chunkDelayMs?: number;
  /** Never answer. */
  hang?: boolean;
  /**
   * After the text, pause the workflow with an `interactive` event, as a user-select
   * (`userSelect`, params `description` and `userSelectOptions: [{key, value}]`) or form node
   * (`userInput`, params `description` and `inputForm: [{type, key, label, required…}]`).
   * The next message in the chat is the answer: the option's value, or the form as JSON.
   */
  interactive?: { type: "userSelect" | "userInput"; params: Record<string, unknown> };
}

export interface FastGptTurn {
  role: "user" | "assistant";
  content: string;
}

/** A chat request body as received (fields as FastGPT's API names them). */
export interface FastGptChatBody {
  chatId?: unknown;
  stream?: unknown;
  detail?: unknown;
  variables?: unknown;
  messages?: unknown;
  [field: string]: unknown;
}

export type FastGptScriptSource =
  | FastGptScript
  | ((body: FastGptChatBody, history: readonly FastGptTurn[]) => FastGptScript);

/** A chat call as received. */
export type FastGptRequest = RecordedRequest<FastGptChatBody>;

/**
 * `url` is the server root, the `baseUrl` of a FastGPT app config; the default answer is
 * `fastgpt echo #<earlier user messages>: <message>`.
 */
export interface FakeFastGpt extends ScriptedFake<FastGptScriptSource, FastGptRequest> {
  /** History per chatId, saved after each complete answer, like FastGPT does. */
  chats: Map<string, FastGptTurn[]>;
}

const ECHO: FastGptScriptSource = (body, history) => ({
  text: `fastgpt echo #${history.filter((t) => t.role === "user").length}: ${lastUserText(body)}`,
});

/** FastGPT's answer to a key it does not know (`ERROR_RESPONSE.unAuthApiKey`). */
const BAD_KEY = { code: 514, statusText: "unAuthApiKey", message: "Api Key 不合法", data: null };

/**
 * FastGPT's `POST /api/v1/chat/completions` on 127.0.0.1: history per `chatId`, `detail` SSE
 * events (`answer`, `flowNodeStatus`, `flowResponses` with quotes and tokens, `error`), and
 * a bad key reported inside a 200 stream the way FastGPT does.
 *
 * @example
 * const fastgpt = await createFakeFastGpt();
 * fastgpt.script({ text: "From the handbook", citations: [{ sourceName: "handbook.pdf", q: "…" }] });
 * const backend = createFastGptBackend({ ...app, baseUrl: fastgpt.url, apiKey: fastgpt.apiKey });
 */
export async function createFakeFastGpt(options: { apiKey?: string } = {}): Promise<FakeFastGpt> {
  const apiKey = options.apiKey ?? `fastgpt-${randomHex(16)}`;
  const chats = new Map<string, FastGptTurn[]>();
  const answers = createScriptedAnswers<FastGptScriptSource, FastGptRequest>("FastGPT", ECHO);
  const { requests } = answers;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const at = performance.now();
    const raw = await readBody(req);
    const path = new URL(req.url ?? "/", "http://fake-fastgpt.local").pathname;
    if (req.method !== "POST" || path !== "/api/v1/chat/completions") {
      sendJson(res, 404, { code: 404, statusText: "", message: "Not Found", data: null });
      return;
    }
    let body: FastGptChatBody;
    try {
      body = JSON.parse(raw.toString("utf8")) ?? {};
    } catch {
      sendJson(res, 500, { code: 500, statusText: "error", message: "Invalid JSON", data: null });
      return;
    }
    recordRequest(requests, req, res, body, at);

    const stream = body?.stream === true;
    const detail = body?.detail === true;
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      if (!stream) return sendJson(res, 500, BAD_KEY);
      res.writeHead(200);
      res.end(`event: error\ndata: ${JSON.stringify(BAD_KEY)}\n\n`);
      return;
    }
    const chatId = typeof body?.chatId === "string" && body.chatId ? body.chatId : undefined;
    const history = chatId ? (chats.get(chatId) ?? []) : [];
    const source = answers.next();
    const script = typeof source === "function" ? source(body, history.slice()) : source;
    const scriptedError = (status: number) => ({
      code: status,
      message: `scripted ${status}`,
      data: null,
    });
    if (!(await startScripted(res, script, scriptedError))) return;

    const reasoning = script.reasoning ? splitWords(script.reasoning) : [];
    const chunks = script.chunks ?? splitWords(script.text ?? "");
    const answer = chunks.join("");
    const flow = flowResponses(script, lastUserText(body), chunks.length);
    const save = () => {
      if (!chatId) return;
      chats.set(chatId, [
        ...history,
        { role: "user", content: lastUserText(body) },
        { role: "assistant", content: answer },
      ]);
    };
    if (!stream) {
      save();
      sendJson(res, 200, {
        ...(detail ? { responseData: flow, newVariables: body?.variables ?? {} } : {}),
        id: chatId ?? "",
        model: "",
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 1 },
        choices: [
          { message: { role: "assistant", content: answer }, finish_reason: "stop", index: 0 },
        ],
      });
      return;
    }

    res.writeHead(200, {
      "content-type": "text/event-stream;charset=utf-8",
      "cache-control": "no-cache",
    });
    // Without `detail`, FastGPT drops the event names and the detail-only events.
    const send = (event: string, data: unknown, detailOnly = false) =>
      detailOnly && !detail
        ? Promise.resolve()
        : writeRaw(
            res,
            `${detail ? `event: ${event}\n` : ""}data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`,
          );
    await send("flowNodeStatus", { status: "running", name: "AI 对话" }, true);
    const parts = [
      ...reasoning.map((r) => ({ role: "assistant", reasoning_content: r })),
      ...chunks.map((c) => ({ role: "assistant", content: c })),
    ];
    for (const delta of parts) {
      if (script.chunkDelayMs) await pause(res, script.chunkDelayMs);
      if (res.destroyed) return;
      await send("answer", answerChunk(delta, null));
    }
    if (script.errorEvent !== undefined) {
      await send("error", { message: script.errorEvent }, true);
      res.end();
      return;
    }
    if (script.interactive) await send("interactive", { interactive: script.interactive }, true);
    await send("answer", answerChunk({ role: "assistant", content: null }, "stop"));
    await send("answer", "[DONE]");
    await send("flowResponses", flow, true);
    save();
    res.end();
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      sendJson(res, 500, { code: 500, statusText: "error", message: String(error), data: null });
    });
  });
  const port = await listenLocal(server);

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    ...answers.controls,
    chats,
    reset: () => {
      answers.reset();
      chats.clear();
    },
    close: () => closeServer(server),
  };
}

/** The node list FastGPT sends after `[DONE]`: a search node (if quotes) and the chat node. */
function flowResponses(script: FastGptScript, query: string, chunks: number): unknown[] {
  const nodes: unknown[] = [];
  const quoteList = (script.citations ?? []).map((c) => ({
    id: randomHex(12),
    q: c.q,
    a: c.a ?? "",
    chunkIndex: 0,
    datasetId: randomHex(12),
    collectionId: randomHex(12),
    sourceId: c.sourceId ?? randomHex(12),
    sourceName: c.sourceName,
    score: [{ type: "embedding", value: 0.9, index: 0 }],
  }));
  if (quoteList.length > 0) {
    nodes.push({
      moduleName: "知识库搜索",
      moduleType: "datasetSearchNode",
      runningTime: 0.1,
      query,
      quoteList,
      totalPoints: 0,
    });
  }
  const inputTokens = script.usage?.inputTokens ?? query.split(/\s+/).length;
  const outputTokens = script.usage?.outputTokens ?? chunks;
  nodes.push({
    moduleName: "AI 对话",
    moduleType: "chatNode",
    runningTime: 0.2,
    model: "fake-model",
    inputTokens,
    outputTokens,
    totalPoints: 0.01,
    ...(quoteList.length > 0 ? { quoteList } : {}),
  });
  return nodes;
}

function answerChunk(delta: object, finish: string | null) {
  return {
    id: "",
    object: "",
    created: 0,
    model: "",
    choices: [{ delta, index: 0, finish_reason: finish }],
  };
}

/** Word-sized deltas, each word keeping its trailing whitespace. */
function splitWords(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text ? [text] : []);
}

/** Resolves once the bytes are handed to the socket (or the client is gone). */
function writeRaw(res: ServerResponse, data: string): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed) return resolve();
    res.once("close", resolve);
    res.write(data, () => {
      res.off("close", resolve);
      resolve();
    });
  });
}
