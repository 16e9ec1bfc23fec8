import type { Backend, BackendPart, BackendRequest } from "../../../src/backends/backend.js";

/** A request as the gateway builds it for a p2p chat; override what a test is about. */
export function backendRequest(overrides: Partial<BackendRequest> = {}): BackendRequest {
  return {
    conversationKey: "p2p:oc_0123456789abcdef",
    history: [],
    message: "hello there",
    user: { openId: "ou_alice", chatId: "oc_0123456789abcdef", botId: "default" },
    state: {},
    signal: new AbortController().signal,
    ...overrides,
  };
}

export interface Collected {
  parts: BackendPart[];
  text: string;
  reasoning: string;
  textParts: number;
  states: Record<string, string>;
  citations: Extract<BackendPart, { type: "citation" }>[];
  usage: Extract<BackendPart, { type: "usage" }>[];
  files: Extract<BackendPart, { type: "file" }>[];
  pauses: Extract<BackendPart, { type: "pause" }>["pause"][];
}

/** Runs one turn to the end and sorts its parts by type. */
export async function collect(backend: Backend, request: BackendRequest): Promise<Collected> {
  const out: Collected = {
    parts: [],
    text: "",
    reasoning: "",
    textParts: 0,
    states: {},
    citations: [],
    usage: [],
    files: [],
    pauses: [],
  };
  for await (const part of backend.stream(request)) {
    out.parts.push(part);
    if (part.type === "text-delta") {
      out.text += part.text;
      out.textParts++;
    } else if (part.type === "text-replace") out.text = part.text;
    else if (part.type === "reasoning-delta") out.reasoning += part.text;
    else if (part.type === "state") out.states[part.key] = part.value;
    else if (part.type === "citation") out.citations.push(part);
    else if (part.type === "file") out.files.push(part);
    else if (part.type === "pause") out.pauses.push(part.pause);
    else out.usage.push(part);
  }
  return out;
}

/** The error a turn fails with (fails the test if it succeeds). */
export async function failure(backend: Backend, request: BackendRequest): Promise<unknown> {
  try {
    await collect(backend, request);
  } catch (error) {
    return error;
  }
  throw new Error("expected the turn to fail, but it answered");
}

/** Streams a turn and aborts it once `parts` text deltas arrived. Returns the error it failed with. */
export async function abortAfter(
  backend: Backend,
  request: BackendRequest,
  controller: AbortController,
  parts: number,
): Promise<unknown> {
  let seen = 0;
  try {
    for await (const part of backend.stream(request)) {
      if (part.type === "text-delta" && ++seen === parts) {
        controller.abort();
      }
    }
  } catch (error) {
    return error;
  }
  throw new Error("expected the aborted turn to fail, but it answered");
}
