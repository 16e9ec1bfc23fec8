import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { pause } from "./fake-llm-answer.js";
import { sendJson } from "./http-json.js";
import { waitFor } from "./wait-for.js";

/** The controls every scripted fake (LLM, FastGPT, Dify) offers its tests. */
export interface ScriptedFake<Script, Request> {
  /** Where the fake listens; what a backend config points at. */
  url: string;
  apiKey: string;
  requests: Request[];
  /** Queues the answer of the next call; with an empty queue the default answers. */
  script(s: Script): void;
  /** Replaces the default answer (each fake's own echo). */
  setDefault(s: Script): void;
  waitForRequests(n: number, timeoutMs?: number): Promise<Request[]>;
  /** Forgets requests and scripts, and restores the default. */
  reset(): void;
  close(): Promise<void>;
}

/** One call as a fake recorded it, and how its answer ended. */
export interface RecordedRequest<Body> {
  body: Body;
  headers: IncomingHttpHeaders;
  /** `performance.now()` when the request arrived. */
  at: number;
  /** The client hung up before the answer ended. */
  aborted: boolean;
  /** The answer was sent completely. */
  completed: boolean;
}

/** Records a call in `requests` and follows its answer to the end. */
export function recordRequest<Body>(
  requests: RecordedRequest<Body>[],
  req: IncomingMessage,
  res: ServerResponse,
  body: Body,
  at: number,
): void {
  const record: RecordedRequest<Body> = {
    body,
    headers: req.headers,
    at,
    aborted: false,
    completed: false,
  };
  requests.push(record);
  res.on("close", () => {
    record.completed = res.writableFinished;
    if (!res.writableFinished) record.aborted = true;
  });
}

/** What every scripted answer may ask before its first byte. */
export interface ScriptedStart {
  /** Never answer. */
  hang?: boolean;
  delayMs?: number;
  /** Answer with this HTTP status and `errorBody` instead. */
  status?: number;
  errorBody?: unknown;
}

/**
 * The start every scripted answer shares: hang, wait, or answer with the scripted error
 * (`errorBody`, else the platform's own shape from `defaultError`). True when the answer
 * itself should follow.
 */
export async function startScripted(
  res: ServerResponse,
  script: ScriptedStart,
  defaultError: (status: number) => unknown,
): Promise<boolean> {
  if (script.hang) return false;
  if (script.delayMs) await pause(res, script.delayMs);
  if (res.destroyed) return false;
  if (script.status !== undefined && script.status >= 400) {
    sendJson(res, script.status, script.errorBody ?? defaultError(script.status));
    return false;
  }
  return true;
}

/**
 * What the fake LLM, FastGPT and Dify APIs share: the requests they recorded, a queue of
 * scripted answers consumed one per call, and a default for when the queue is empty.
 */
export function createScriptedAnswers<Script, Request>(label: string, defaultScript: Script) {
  const requests: Request[] = [];
  const queue: Script[] = [];
  let fallback = defaultScript;
  return {
    requests,
    /** The script for the call being answered now. */
    next: (): Script => queue.shift() ?? fallback,
    /** The public part of each fake's interface. */
    controls: {
      requests,
      /** Queues the answer of the next call; with an empty queue the default answers. */
      script: (s: Script): void => {
        queue.push(s);
      },
      setDefault: (s: Script): void => {
        fallback = s;
      },
      waitForRequests: (n: number, timeoutMs?: number): Promise<Request[]> =>
        waitFor(() => (requests.length >= n ? requests.slice() : undefined), {
          timeoutMs,
          label: `${n} ${label} request(s)`,
          describe: () => `requests so far: ${requests.length}`,
        }),
    },
    /** Forgets requests and scripts, and restores the default. */
    reset: (): void => {
      requests.length = 0;
      queue.length = 0;
      fallback = defaultScript;
    },
  };
}
