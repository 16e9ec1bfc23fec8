import { Counter, Gauge, Histogram, Registry } from "prom-client";

/** Seconds buckets for acks and store commits: they should stay in the milliseconds. */
const FAST = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 3];
/** Seconds buckets for model answers: first text in about a second, whole answers in tens. */
const SLOW = [0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120, 300];

/** What the gateway reads at scrape time, when Prometheus asks. */
export interface MetricSources {
  jobs(): Promise<{ queued: number; running: number; waiting: number; oldestQueuedAt?: number }>;
  /** Per bot: how answers are shown now (`cardkit`, `patch`, `final`). */
  delivery(): Record<string, string>;
  /** Per long-connection bot: its state and how often it reconnected. */
  longConnections(): Record<string, { state: string; reconnects: number }>;
}

/**
 * The gateway's Prometheus metrics (`GET /metrics`), one registry per gateway so that two in
 * one process (tests) never mix. Labels are bot ids, app names, operations and outcomes:
 * never a user, a message or a secret.
 */
export function createGatewayMetrics(sources: MetricSources) {
  const registry = new Registry();
  const registers = [registry];
  const metrics = {
    registry,
    pushes: new Counter({
      name: "larkgate_pushes_total",
      help: "Pushes received, by bot, route (event, card, ws) and outcome (acked, challenge, rejected_<code>, failed)",
      labelNames: ["bot", "route", "outcome"] as const,
      registers,
    }),
    ackSeconds: new Histogram({
      name: "larkgate_ack_seconds",
      help: "Time from a push's arrival to its ack, by route",
      labelNames: ["route"] as const,
      buckets: FAST,
      registers,
    }),
    events: new Counter({
      name: "larkgate_events_total",
      help: "Verified events, by bot, kind (message, recall, card, chat_opened, other) and outcome (accepted, duplicate, malformed, handled, ignored)",
      labelNames: ["bot", "event", "outcome"] as const,
      registers,
    }),
    storeCommitSeconds: new Histogram({
      name: "larkgate_store_commit_seconds",
      help: "Time to store a job with its dedup keys (the ack waits for it)",
      buckets: FAST,
      registers,
    }),
    answers: new Counter({
      name: "larkgate_answers_total",
      help: "Answers, by bot, app and outcome (done, stopped, error code)",
      labelNames: ["bot", "app", "outcome"] as const,
      registers,
    }),
    firstTextSeconds: new Histogram({
      name: "larkgate_llm_first_text_seconds",
      help: "Time from the model call to its first text, by bot and app",
      labelNames: ["bot", "app"] as const,
      buckets: SLOW,
      registers,
    }),
    answerSeconds: new Histogram({
      name: "larkgate_llm_answer_seconds",
      help: "Time from the model call to the end of the answer, by bot and app",
      labelNames: ["bot", "app"] as const,
      buckets: SLOW,
      registers,
    }),
    tokens: new Counter({
      name: "larkgate_tokens_total",
      help: "Tokens the models reported, by bot, app and direction (in, out)",
      labelNames: ["bot", "app", "direction"] as const,
      registers,
    }),
    larkCalls: new Counter({
      name: "larkgate_lark_calls_total",
      help: "Lark Open Platform calls, by bot, operation and Lark code (0: success; http_<status> or network without one)",
      labelNames: ["bot", "operation", "code"] as const,
      registers,
    }),
    larkRetries: new Counter({
      name: "larkgate_lark_retries_total",
      help: "Lark calls tried again, by bot, operation and why (rate_limited, server, network, token)",
      labelNames: ["bot", "operation", "reason"] as const,
      registers,
    }),
    larkWaitSeconds: new Counter({
      name: "larkgate_lark_retry_wait_seconds_total",
      help: "Time spent waiting before retrying Lark calls (rate-limit resets included), by bot",
      labelNames: ["bot"] as const,
      registers,
    }),
  };

  // Both job gauges come from one query per scrape (prom-client collects them in parallel).
  let counting: { at: number; counts: ReturnType<MetricSources["jobs"]> } | undefined;
  const jobCounts = () => {
    if (!counting || performance.now() - counting.at > 1000) {
      counting = { at: performance.now(), counts: sources.jobs() };
    }
    return counting.counts;
  };
  new Gauge({
    name: "larkgate_jobs",
    help: "Jobs in the store by state: queued, running, and waiting (queued behind a running job of the same conversation)",
    labelNames: ["state"] as const,
    registers,
    async collect() {
      const counts = await jobCounts();
      this.set({ state: "queued" }, counts.queued);
      this.set({ state: "running" }, counts.running);
      this.set({ state: "waiting" }, counts.waiting);
    },
  });
  new Gauge({
    name: "larkgate_oldest_queued_job_age_seconds",
    help: "How long the oldest queued job has waited (0 when none)",
    registers,
    async collect() {
      const { oldestQueuedAt } = await jobCounts();
      this.set(oldestQueuedAt ? Math.max(0, Date.now() - oldestQueuedAt) / 1000 : 0);
    },
  });
  new Gauge({
    name: "larkgate_delivery_mode",
    help: "How each bot shows answers now: 1 for its current mode (cardkit, patch, final)",
    labelNames: ["bot", "mode"] as const,
    registers,
    collect() {
      this.reset();
      for (const [bot, mode] of Object.entries(sources.delivery())) this.set({ bot, mode }, 1);
    },
  });
  const reconnects = new Gauge({
    name: "larkgate_long_connection_reconnects",
    help: "Reconnects of each bot's long connection since it was opened",
    labelNames: ["bot"] as const,
    registers,
  });
  new Gauge({
    name: "larkgate_long_connection_up",
    help: "1 while a bot's long connection is connected, else 0",
    labelNames: ["bot"] as const,
    registers,
    collect() {
      this.reset();
      reconnects.reset();
      for (const [bot, status] of Object.entries(sources.longConnections())) {
        this.set({ bot }, status.state === "connected" ? 1 : 0);
        reconnects.set({ bot }, status.reconnects);
      }
    },
  });
  return metrics;
}

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;
