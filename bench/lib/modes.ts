/**
 * How big each benchmark runs. `quick` (the default) is sized to finish in about two minutes on
 * a 2-core machine; `smoke` runs every code path with tiny loads, for CI; `full` is the
 * headline scale from the README.
 */
export type Mode = "smoke" | "quick" | "full";

export interface ModeSettings {
  intake: {
    /** Keep-alive connections the load generator holds open (Lark pushes in parallel too). */
    connections: number;
    /** Requests per server before measuring, so the JIT has compiled the hot paths. */
    warmupRequests: number;
    /** Target length of each measured run; the request count is derived from the warm-up rate. */
    seconds: number;
    minRequests: number;
    maxRequests: number;
  };
  answer: {
    /** Concurrent conversations → messages each conversation sends, one after the other. */
    levels: Array<{ conversations: number; rounds: number }>;
    /**
     * With more than one conversation, the fake LLM holds each answer this long before
     * streaming it at once, so that many answers are in flight together as with a real model;
     * it is subtracted from every figure. Conversations start staggered over this interval.
     */
    holdMs: number;
    /** Closed loop with an instant LLM and no pause between messages: the saturation point. */
    saturation: { conversations: number; rounds: number };
    /** Answers before measuring (token fetch, bot info, JIT). */
    warmupAnswers: number;
  };
  history: {
    totalExchanges: number;
    /** Stored turns of the conversations whose prompt assembly is timed. */
    conversationTurns: number[];
    iterations: number;
  };
  prune: {
    /** Expired dedup keys, and as many old exchanges, to prune. */
    rows: number;
  };
  memory: {
    /** Stored exchanges per conversation in the pre-filled database. */
    turnsPerConversation: number;
    /** Conversations in the small and the large store; the working set must fit the small one. */
    storedConversations: [number, number];
    /** Conversations that get one new message each through the webhook. */
    activeConversations: number;
    /** Pushes in flight at once while the active conversations are messaged. */
    pushConcurrency: number;
    /** Pause before reading RSS, so start-up or the last answers have settled. */
    settleMs: number;
  };
}

export const MODES: Record<Mode, ModeSettings> = {
  smoke: {
    intake: {
      connections: 4,
      warmupRequests: 100,
      seconds: 0.5,
      minRequests: 100,
      maxRequests: 400,
    },
    answer: {
      levels: [
        { conversations: 1, rounds: 3 },
        { conversations: 5, rounds: 2 },
      ],
      holdMs: 200,
      saturation: { conversations: 5, rounds: 2 },
      warmupAnswers: 2,
    },
    history: { totalExchanges: 10_000, conversationTurns: [10, 100, 1_000], iterations: 20 },
    prune: { rows: 5_000 },
    memory: {
      turnsPerConversation: 5,
      storedConversations: [20, 200],
      activeConversations: 10,
      pushConcurrency: 5,
      settleMs: 200,
    },
  },
  quick: {
    intake: {
      connections: 16,
      warmupRequests: 3_000,
      seconds: 5,
      minRequests: 2_000,
      maxRequests: 60_000,
    },
    answer: {
      levels: [
        { conversations: 1, rounds: 40 },
        { conversations: 50, rounds: 3 },
        { conversations: 200, rounds: 2 },
      ],
      holdMs: 4000,
      saturation: { conversations: 50, rounds: 4 },
      warmupAnswers: 20,
    },
    history: {
      totalExchanges: 200_000,
      conversationTurns: [10, 1_000, 100_000],
      iterations: 200,
    },
    prune: { rows: 200_000 },
    memory: {
      turnsPerConversation: 10,
      storedConversations: [1_000, 10_000],
      activeConversations: 500,
      pushConcurrency: 25,
      settleMs: 1000,
    },
  },
  full: {
    intake: {
      connections: 16,
      warmupRequests: 10_000,
      seconds: 15,
      minRequests: 5_000,
      maxRequests: 200_000,
    },
    answer: {
      levels: [
        { conversations: 1, rounds: 200 },
        { conversations: 50, rounds: 10 },
        { conversations: 200, rounds: 5 },
      ],
      holdMs: 4000,
      saturation: { conversations: 50, rounds: 20 },
      warmupAnswers: 50,
    },
    history: {
      totalExchanges: 1_000_000,
      conversationTurns: [10, 1_000, 100_000],
      iterations: 1_000,
    },
    prune: { rows: 1_000_000 },
    memory: {
      turnsPerConversation: 100,
      storedConversations: [2_000, 10_000],
      activeConversations: 2_000,
      pushConcurrency: 50,
      settleMs: 1000,
    },
  },
};
