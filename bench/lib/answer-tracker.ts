import type { FakeLark, RecordedCall } from "../../test/kit/fake-lark.js";

/** When an answer became visible at the fake Lark (`performance.now()` of the request's arrival). */
export interface AnswerTiming {
  /** First text other than a placeholder: a CardKit content update, or a message with text. */
  firstTextAt?: number;
  /** The final form: the card's full update after streaming closed, or the final message. */
  finalAt?: number;
  /** `card`: a streamed CardKit card; `message`: a reply with the text (a fallback or an error). */
  via?: "card" | "message";
  /** The typing reaction was taken off the user's message: the answer's last Lark call. */
  typingClearedAt?: number;
}

const PLACEHOLDERS = new Set(["…", "💭 Thinking…", ""]);
const REPLY = /^\/open-apis\/im\/v1\/messages\/[^/]+\/reply$/;
const CARD_CONTENT = /^\/open-apis\/cardkit\/v1\/cards\/[^/]+\/elements\/[^/]+\/content$/;
const CARD_UPDATE = /^\/open-apis\/cardkit\/v1\/cards\/[^/]+$/;
const REACTION = /^\/open-apis\/im\/v1\/messages\/[^/]+\/reactions\/[^/]+$/;

/**
 * Follows the fake Lark's call log as it grows (after each response) and works out, per user
 * message, when its answer's first text and final form arrived; also counts calls by route.
 * Understands CardKit answers (the default) and answers sent as one message.
 */
export function createAnswerTracker(lark: FakeLark) {
  const timings = new Map<string, AnswerTiming>();
  const cardOwner = new Map<string, string>();
  const waiters = new Map<string, () => void>();
  const routeCounts = new Map<string, number>();
  let seen = 0;

  const timing = (messageId: string): AnswerTiming => {
    const found = timings.get(messageId);
    if (found) return found;
    const created: AnswerTiming = {};
    timings.set(messageId, created);
    return created;
  };
  const finished = (messageId: string, at: number, via: "card" | "message") => {
    const entry = timing(messageId);
    entry.via ??= via;
    entry.firstTextAt ??= at;
    entry.finalAt ??= at;
    waiters.get(messageId)?.();
  };
  const typingCleared = (messageId: string, at: number) => {
    timing(messageId).typingClearedAt ??= at;
    waiters.get(messageId)?.();
  };

  function record(call: RecordedCall): void {
    let route = call.path;
    for (const [name, value] of Object.entries(call.params))
      route = route.replace(value, `:${name}`);
    const key = `${call.method} ${route}`;
    routeCounts.set(key, (routeCounts.get(key) ?? 0) + 1);
    if (call.status !== 200) return;

    if (call.method === "DELETE" && REACTION.test(call.path)) {
      typingCleared(call.params.message_id!, call.at);
      return;
    }
    if (call.method === "POST" && REPLY.test(call.path)) {
      const userMessage = call.params.message_id!;
      const content = parseContent(call.body?.content);
      const cardId = content?.type === "card" ? content.data?.card_id : undefined;
      if (typeof cardId === "string") cardOwner.set(cardId, userMessage);
      else if (call.body?.msg_type !== "interactive") finished(userMessage, call.at, "message");
      return;
    }
    const owner = cardOwner.get(call.params.card_id ?? "");
    if (!owner) return;
    if (call.method === "PUT" && CARD_CONTENT.test(call.path)) {
      if (!PLACEHOLDERS.has(String(call.body?.content ?? "")))
        timing(owner).firstTextAt ??= call.at;
    } else if (call.method === "PUT" && CARD_UPDATE.test(call.path)) {
      finished(owner, call.at, "card");
    }
  }

  const scan = () => {
    for (; seen < lark.calls.length; seen++) record(lark.calls[seen]!);
  };
  // The fake records a call before it answers, so it is in the log by the time the response ends.
  lark.server.on("request", (_req, res) => res.once("finish", scan));

  return {
    timing: (messageId: string): AnswerTiming | undefined => timings.get(messageId),

    /**
     * Resolves once the answer to `messageId` is in its final form and its typing reaction is
     * gone, i.e. the gateway is done with it, so the conversation's next message does not queue
     * behind the end of this one.
     */
    waitForAnswer(messageId: string, timeoutMs = 30_000): Promise<AnswerTiming> {
      scan();
      const complete = (t: AnswerTiming | undefined) =>
        t?.finalAt !== undefined && t.typingClearedAt !== undefined;
      const known = timings.get(messageId);
      if (complete(known)) return Promise.resolve(known!);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(messageId);
          reject(new Error(`no complete answer to ${messageId} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.set(messageId, () => {
          const current = timings.get(messageId);
          if (!complete(current)) return;
          clearTimeout(timer);
          waiters.delete(messageId);
          resolve(current!);
        });
      });
    },

    /** Calls so far by `METHOD /route/:param`. */
    routeCounts(): Map<string, number> {
      scan();
      return new Map(routeCounts);
    },
  };
}

function parseContent(raw: unknown): { type?: string; data?: { card_id?: unknown } } | undefined {
  if (typeof raw !== "string") return typeof raw === "object" && raw ? raw : undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/** `after − before` per route, divided by `answers`. */
export function callsPerAnswer(
  before: Map<string, number>,
  after: Map<string, number>,
  answers: number,
): Record<string, number> {
  const perAnswer: Record<string, number> = {};
  for (const [route, count] of [...after].sort()) {
    const delta = count - (before.get(route) ?? 0);
    if (delta > 0) perAnswer[route] = Math.round((delta / answers) * 100) / 100;
  }
  return perAnswer;
}
