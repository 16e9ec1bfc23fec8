import type { Logger } from "pino";
import type { GatewayConfig } from "../config/config.js";
import type { LarkCallObserver } from "../lark/outbound/lark-api.js";
import { type BotParts, createBotRuntime } from "./create-bot-runtime.js";

/**
 * The configured bots, by id. A reload swaps the whole set at once; answers in flight keep
 * the runtime they started with.
 */
export function createBotRegistry(
  config: GatewayConfig,
  logger: Logger,
  /** Each bot's observer of its Lark calls (the gateway's metrics). */
  larkObserver?: (botId: string) => LarkCallObserver,
) {
  const build = (from: GatewayConfig) =>
    new Map(
      from.bots.map((bot) => {
        const observer = larkObserver?.(bot.id);
        const parts = createBotRuntime(bot, logger, {
          ...from,
          ...(observer ? { larkObserver: observer } : {}),
        });
        return [bot.id, parts] as const;
      }),
    );
  let bots = build(config);
  return {
    get: (id: string): BotParts | undefined => bots.get(id),
    all: (): BotParts[] => [...bots.values()],
    ids: (): string[] => [...bots.keys()],
    /** Builds every bot of `next` first, so a bot that cannot be built leaves the old set. */
    replace(next: GatewayConfig): void {
      bots = build(next);
    },
  };
}

export type BotRegistry = ReturnType<typeof createBotRegistry>;
