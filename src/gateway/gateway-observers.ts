import type { AnswerObserver } from "../conversation/ports.js";
import type { LarkCallObserver } from "../lark/outbound/lark-api.js";
import type { PushOutcome } from "../lark/webhook/webhook-routes.js";
import type { GatewayMetrics } from "../metrics/gateway-metrics.js";

/**
 * The gateway's parts report through small callbacks of their own (so none of them imports
 * the metrics library); these turn each report into the Prometheus series.
 */
export function gatewayObservers(metrics: GatewayMetrics) {
  const answer: AnswerObserver = (figures) => {
    const labels = { bot: figures.botId, app: figures.app };
    metrics.answers.inc({ ...labels, outcome: figures.outcome });
    if (figures.firstTextMs !== undefined) {
      metrics.firstTextSeconds.observe(labels, figures.firstTextMs / 1000);
    }
    metrics.answerSeconds.observe(labels, figures.totalMs / 1000);
    if (figures.promptTokens) {
      metrics.tokens.inc({ ...labels, direction: "in" }, figures.promptTokens);
    }
    if (figures.completionTokens) {
      metrics.tokens.inc({ ...labels, direction: "out" }, figures.completionTokens);
    }
  };
  return {
    answer,
    push(push: PushOutcome): void {
      metrics.pushes.inc({ bot: push.botId, route: push.route, outcome: push.outcome });
      metrics.ackSeconds.observe({ route: push.route }, push.seconds);
    },
    longConnectionAck(botId: string, seconds: number): void {
      metrics.pushes.inc({ bot: botId, route: "ws", outcome: "acked" });
      metrics.ackSeconds.observe({ route: "ws" }, seconds);
    },
    event(botId: string, event: string, outcome: string): void {
      metrics.events.inc({ bot: botId, event, outcome });
    },
    commit(seconds: number): void {
      metrics.storeCommitSeconds.observe(seconds);
    },
    lark(botId: string): LarkCallObserver {
      return {
        attempt: (operation, code) => metrics.larkCalls.inc({ bot: botId, operation, code }),
        retry(operation, reason, waitMs) {
          metrics.larkRetries.inc({ bot: botId, operation, reason });
          metrics.larkWaitSeconds.inc({ bot: botId }, waitMs / 1000);
        },
      };
    },
  };
}

export type GatewayObservers = ReturnType<typeof gatewayObservers>;

/** METRICS=off: the same callbacks, doing nothing (what the benchmark compares against). */
export function quietObservers(): GatewayObservers {
  const nothing = () => {};
  return {
    answer: nothing,
    push: nothing,
    longConnectionAck: nothing,
    event: nothing,
    commit: nothing,
    lark: () => ({ attempt: nothing, retry: nothing }),
  };
}
