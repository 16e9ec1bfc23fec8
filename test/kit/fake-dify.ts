import { randomUUID } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
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

/** How the fake answers one `chat-messages` call. */
export interface DifyScript {
  text?: string;
  /** Exact answer deltas; overrides the word-by-word split of `text`. */
  chunks?: string[];
  /** Answer as an agent app: `agent_thought` events carrying this thought, then `agent_message`. */
  thought?: string;
  /** `metadata.retriever_resources` of `message_end`. */
  retrieverResources?: Array<{ document_name: string; content: string; dataset_name?: string }>;
  /** `metadata.usage` of `message_end` (defaults to word counts). */
  usage?: { prompt_tokens: number; completion_tokens: number };
  /** Answer with this HTTP status and `errorBody` (Dify's `{code, message, status}`). */
  status?: number;
  errorBody?: unknown;
  /** After the chunks, output moderation replaces the answer: a `message_replace` with this text. */
  replaceWith?: string;
  /** After the chunks, end with Dify's `error` event instead of `message_end`. */
  errorEvent?: { status?: number; code?: string; message: string };
  delayMs?: number;
  chunkDelayMs?: number;
  /** Never answer. */
  hang?: boolean;
  /**
   * Files the app produced, each a `message_file` event after the chunks (recent Dify sends
   * them for pictures a tool or workflow made, sometimes with no `message` text at all).
   */
  files?: Array<{ type: string; url: string; belongs_to?: "assistant" | "user" }>;
}

export interface DifyTurn {
  role: "user" | "assistant";
  content: string;
}

/** A `chat-messages` body as received (fields as Dify's API names them). */
export interface DifyChatBody {
  inputs?: unknown;
  query?: unknown;
  response_mode?: unknown;
  conversation_id?: unknown;
  user?: unknown;
  [field: string]: unknown;
}

export type DifyScriptSource =
  | DifyScript
  | ((body: DifyChatBody, history: readonly DifyTurn[]) => DifyScript);

/** A `POST /v1/chat-messages` call as received. */
export type DifyRequest = RecordedRequest<DifyChatBody>;

/**
 * `url` is the API root, the `baseUrl` of a Dify app config (`/v1/...` is appended);
 * `requests` are the `POST /v1/chat-messages` calls; the default answer is
 * `dify echo #<earlier user messages>: <query>`.
 */
export interface FakeDify extends ScriptedFake<DifyScriptSource, DifyRequest> {
  /** Messages per conversation id, saved after each complete answer. */
  conversations: Map<string, DifyTurn[]>;
  /** Task ids passed to `POST /v1/chat-messages/:task_id/stop`, in order. */
  stops: string[];
}

const ECHO: DifyScriptSource = (body, history) => ({
  text: `dify echo #${history.filter((t) => t.role === "user").length}: ${body?.query ?? ""}`,
});

const error = (status: number, code: string, message: string) => ({ code, message, status });

/**
 * Dify's service API on 127.0.0.1: `POST /v1/chat-messages` in streaming mode (`data:` events
 * with the name inside the JSON, `event: ping` keep-alives), conversations owned by their
 * `user` (an unknown id is `404 Conversation Not Exists.`), and the task stop endpoint.
 *
 * @example
 * const dify = await createFakeDify();
 * dify.script({ text: "Per the FAQ…", retrieverResources: [{ document_name: "faq.md", content: "…" }] });
 * const backend = createDifyBackend({ ...app, baseUrl: dify.url, apiKey: dify.apiKey });
 */
export async function createFakeDify(options: { apiKey?: string } = {}): Promise<FakeDify> {
  const apiKey = options.apiKey ?? `app-${randomHex(12)}`;
  const conversations = new Map<string, DifyTurn[]>();
  const owners = new Map<string, string>();
  const stops: string[] = [];
  const stopped = new Set<string>();
  const answers = createScriptedAnswers<DifyScriptSource, DifyRequest>("Dify", ECHO);
  const { requests } = answers;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const at = performance.now();
    const raw = await readBody(req);
    const path = new URL(req.url ?? "/", "http://fake-dify.local").pathname;
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      sendJson(res, 401, error(401, "unauthorized", "Access token is invalid"));
      return;
    }
    let body: DifyChatBody;
    try {
      body = (raw.length > 0 ? JSON.parse(raw.toString("utf8")) : null) ?? {};
    } catch {
      sendJson(
        res,
        400,
        error(
          400,
          "bad_request",
          "The browser (or proxy) sent a request that this server could not understand.",
        ),
      );
      return;
    }
    const stop = /^\/v1\/chat-messages\/([^/]+)\/stop$/.exec(path);
    if (req.method === "POST" && stop) {
      const taskId = decodeURIComponent(stop[1] ?? "");
      stops.push(taskId);
      stopped.add(taskId);
      sendJson(res, 200, { result: "success" });
      return;
    }
    if (req.method !== "POST" || path !== "/v1/chat-messages") {
      sendJson(res, 404, error(404, "not_found", "The requested URL was not found on the server."));
      return;
    }
    recordRequest(requests, req, res, body, at);

    const user = typeof body?.user === "string" ? body.user : "";
    if (typeof body?.query !== "string" || !user) {
      sendJson(res, 400, error(400, "invalid_param", "query and user are required"));
      return;
    }
    let conversationId = typeof body.conversation_id === "string" ? body.conversation_id : "";
    // Dify scopes conversations to their end user: someone else's id is "not found" too.
    if (conversationId && owners.get(conversationId) !== user) {
      sendJson(res, 404, error(404, "not_found", "Conversation Not Exists."));
      return;
    }
    const source = answers.next();
    const history = conversationId ? (conversations.get(conversationId) ?? []) : [];
    const script = typeof source === "function" ? source(body, history.slice()) : source;
    if (!(await startScripted(res, script, (s) => error(s, "scripted", `scripted ${s}`)))) return;
    if (!conversationId) {
      conversationId = randomUUID();
      owners.set(conversationId, user);
      conversations.set(conversationId, []);
    }

    const taskId = randomUUID();
    const messageId = randomUUID();
    const base = () => ({
      task_id: taskId,
      id: messageId,
      message_id: messageId,
      conversation_id: conversationId,
      created_at: Math.floor(Date.now() / 1000),
    });
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
    });
    const send = (data: object) => writeRaw(res, `data: ${JSON.stringify(data)}\n\n`);
    await writeRaw(res, "event: ping\n\n");

    const agent = script.thought !== undefined;
    const chunks = script.chunks ?? splitWords(script.text ?? "");
    if (agent) {
      const thoughtId = randomUUID();
      const thought = (text: string) => ({
        ...base(),
        event: "agent_thought",
        id: thoughtId,
        position: 1,
        thought: text,
        observation: "",
        tool: "",
        tool_input: "",
        message_files: [],
      });
      const words = splitWords(script.thought ?? "");
      const half = words.slice(0, Math.ceil(words.length / 2)).join("");
      await send(thought(half));
      await send(thought(words.join("")));
    }
    let sent = "";
    for (const chunk of chunks) {
      if (script.chunkDelayMs) await pause(res, script.chunkDelayMs);
      // A stopped task stops generating; the client has usually hung up by then.
      if (res.destroyed || stopped.has(taskId)) break;
      sent += chunk;
      await send({ ...base(), event: agent ? "agent_message" : "message", answer: chunk });
    }
    for (const file of script.files ?? []) {
      if (res.destroyed) break;
      await send({
        ...base(),
        event: "message_file",
        id: randomUUID(),
        type: file.type,
        belongs_to: file.belongs_to ?? "assistant",
        url: file.url,
      });
    }
    if (!res.destroyed && script.errorEvent) {
      await send({
        ...base(),
        event: "error",
        status: 400,
        code: "completion_request_error",
        ...script.errorEvent,
      });
      res.end();
      return;
    }
    if (res.destroyed) return;
    if (script.replaceWith !== undefined) {
      sent = script.replaceWith;
      await send({ ...base(), event: "message_replace", answer: script.replaceWith });
    }
    const prompt = script.usage?.prompt_tokens ?? String(body.query).split(/\s+/).length;
    const completion = script.usage?.completion_tokens ?? chunks.length;
    await send({
      ...base(),
      event: "message_end",
      metadata: {
        usage: {
          prompt_tokens: prompt,
          completion_tokens: completion,
          total_tokens: prompt + completion,
          currency: "USD",
          latency: 0.1,
        },
        ...(script.retrieverResources
          ? {
              retriever_resources: script.retrieverResources.map((r, i) => ({
                position: i + 1,
                dataset_id: randomUUID(),
                dataset_name: r.dataset_name ?? "Knowledge",
                document_id: randomUUID(),
                document_name: r.document_name,
                segment_id: randomUUID(),
                score: 0.9,
                content: r.content,
              })),
            }
          : {}),
      },
      files: [],
    });
    const turns = conversations.get(conversationId) ?? [];
    turns.push({ role: "user", content: body.query }, { role: "assistant", content: sent });
    conversations.set(conversationId, turns);
    res.end();
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      sendJson(res, 500, error(500, "internal_server_error", String(e)));
    });
  });
  const port = await listenLocal(server);

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    ...answers.controls,
    conversations,
    stops,
    reset: () => {
      answers.reset();
      stops.length = 0;
      stopped.clear();
      conversations.clear();
      owners.clear();
    },
    close: () => closeServer(server),
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
