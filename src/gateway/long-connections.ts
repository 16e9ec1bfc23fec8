import type { Logger } from "pino";
import type { BotConfig } from "../config/config.js";
import type { EnvelopeHandler } from "../lark/handle-envelope.js";
import { createWsReceiver, type WsReceiver, type WsStatus } from "../lark/ws/ws-receiver.js";

interface Held {
  /** What the connection was opened with; a reload that changes it reconnects. */
  identity: string;
  receiver: WsReceiver;
}

/**
 * One long connection per bot in `websocket` event mode. Events go through the same envelope
 * handler as webhooks (normalize, dedup, persist, return), so the ack leaves in milliseconds.
 */
export function createLongConnections(options: {
  logger: Logger;
  handler: EnvelopeHandler;
  /** Told how long each event took to be acked (the gateway's metrics). */
  observeAck?: (botId: string, seconds: number) => void;
}) {
  const held = new Map<string, Held>();

  function open(bot: BotConfig): Held {
    const log = options.logger.child({ botId: bot.id, transport: "websocket" });
    const receiver = createWsReceiver({
      appId: bot.appId,
      appSecret: bot.appSecret,
      domain: bot.domain,
      logger: log,
      onEnvelope: async (envelope) => {
        const started = performance.now();
        try {
          return await options.handler.handleEnvelope(bot.id, envelope, log);
        } finally {
          options.observeAck?.(bot.id, (performance.now() - started) / 1000);
        }
      },
    });
    void receiver.start();
    return { identity: `${bot.appId}\u0000${bot.appSecret}\u0000${bot.domain}`, receiver };
  }

  return {
    /** Opens, keeps or closes connections so that exactly the websocket bots have one. */
    async sync(bots: BotConfig[]): Promise<void> {
      const wanted = new Map(bots.filter((b) => b.eventMode === "websocket").map((b) => [b.id, b]));
      for (const [id, current] of held) {
        const bot = wanted.get(id);
        const identity = bot && `${bot.appId}\u0000${bot.appSecret}\u0000${bot.domain}`;
        if (identity !== current.identity) {
          held.delete(id);
          await current.receiver.close();
        }
      }
      for (const [id, bot] of wanted) if (!held.has(id)) held.set(id, open(bot));
    },

    status(): Record<string, WsStatus> {
      return Object.fromEntries([...held].map(([id, h]) => [id, h.receiver.status()]));
    },

    async close(): Promise<void> {
      await Promise.all([...held.values()].map((h) => h.receiver.close()));
      held.clear();
    },
  };
}
