import type { PushOutcome } from "../lark/webhook/webhook-routes.js";

/** What a bot's Request URL has seen since this gateway started, for `larkgate check`. */
export interface PushSeen {
  /** Pushes answered 2xx (events, callbacks, challenges). */
  acked: number;
  lastAckedAt?: number;
  rejected: number;
  /** The latest refusal and its code (`bad_signature`, `bad_token`…): what to fix. */
  lastRejected?: { code: string; at: number; route: string };
}

/**
 * Per bot, what reached its Request URLs: whether Lark pushes at all (an event subscription
 * or URL missing in the console) and whether the last refusal says its keys differ.
 */
export function createPushTracker(now: () => number = Date.now) {
  const startedAt = now();
  const bots = new Map<string, PushSeen>();
  const seen = (botId: string) => {
    let entry = bots.get(botId);
    if (!entry) {
      entry = { acked: 0, rejected: 0 };
      bots.set(botId, entry);
    }
    return entry;
  };
  return {
    record(push: PushOutcome): void {
      if (push.outcome === "rejected_unknown_bot" || push.outcome === "failed") return;
      const entry = seen(push.botId);
      if (push.outcome.startsWith("rejected_")) {
        entry.rejected += 1;
        entry.lastRejected = {
          code: push.outcome.slice("rejected_".length),
          at: now(),
          route: push.route,
        };
      } else {
        entry.acked += 1;
        entry.lastAckedAt = now();
      }
    },
    status(): { startedAt: number; bots: Record<string, PushSeen> } {
      return { startedAt, bots: Object.fromEntries(bots) };
    },
  };
}

export type PushTracker = ReturnType<typeof createPushTracker>;
