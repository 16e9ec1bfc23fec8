import type { Logger } from "pino";
import type { GatewayConfig } from "../config/config.js";
import { MISSING_BOT_HINT } from "../config/read-env-config.js";
import { handleMessage } from "../conversation/handle-message.js";
import type { JobRun } from "../conversation/ports.js";
import { recallQuestion } from "../conversation/recall-question.js";
import { regenerateAnswer } from "../conversation/regenerate.js";
import { createRunningAnswers } from "../conversation/running-answers.js";
import { createIntake, DEDUP_RETENTION_MS } from "../intake/intake.js";
import { createWorker } from "../intake/worker.js";
import { createCardToolbar } from "../lark/card-toolbar.js";
import { createEnvelopeHandler } from "../lark/handle-envelope.js";
import type { CardAction } from "../lark/inbound/card-action.js";
import type { InboundMessage } from "../lark/inbound/inbound-message.js";
import { imageLinkRoutes } from "../lark/outbound/image-link-routes.js";
import { webhookRoutes } from "../lark/webhook/webhook-routes.js";
import { adminRoutes } from "../server/admin-routes.js";
import { buildServer } from "../server/build-server.js";
import { createStore } from "../store/create-store.js";
import type { Job, Store } from "../store/store.js";
import { createBotRuntime } from "./create-bot-runtime.js";
import { createLongConnections } from "./long-connections.js";

export interface Gateway {
  /** `http://host:port` the server listens on. */
  url: string;
  store: Store;
  /**
   * Applies a new configuration's bots and apps without dropping answers in flight (they
   * finish with the runtime they started with). Without an argument, re-reads the config
   * through `options.loadConfig`. Throws (and keeps the old config) when it cannot.
   */
  reload(config?: GatewayConfig): Promise<{ bots: string[] }>;
  close(): Promise<void>;
}

export interface GatewayOptions {
  /** How `reload()` re-reads the configuration (the config file, or the environment). */
  loadConfig?: () => GatewayConfig;
}

const PRUNE_EVERY_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The composition root: store → bots → worker → intake → HTTP. Every resource registers its
 * closer here, and `close()` releases them in reverse order.
 */
export async function startGateway(
  initialConfig: GatewayConfig,
  logger: Logger,
  options: GatewayOptions = {},
): Promise<Gateway> {
  let config = initialConfig;
  const store = await createStore(config.databaseUrl);
  const buildBots = (from: GatewayConfig) =>
    new Map(from.bots.map((bot) => [bot.id, createBotRuntime(bot, logger, from)] as const));
  let bots = buildBots(config);
  const running = createRunningAnswers();
  store.signals?.onStop((botId, messageId) => {
    if (running.stop(botId, messageId))
      logger.info({ botId, messageId }, "stopped on request of another replica");
  });

  async function runJob(job: Job): Promise<void> {
    const log = logger.child({
      jobId: job.id,
      botId: job.botId,
      conversation: job.conversationKey,
    });
    const bot = bots.get(job.botId);
    if (!bot) {
      log.warn("job for a bot that is no longer configured; skipped");
      return;
    }
    const run: JobRun = {
      id: job.id,
      attempt: job.attempts,
      previousDelivery: job.attempts > 1 ? (job.delivery ?? undefined) : undefined,
      recordDelivery: (delivery) => {
        store.recordDelivery(job.id, worker.owner, delivery).catch((error) => {
          log.warn({ err: error }, "could not record where the answer is shown");
        });
      },
    };
    if (job.kind === "message") {
      const message = job.payload as InboundMessage;
      await handleMessage(bot.runtime, run, job.conversationKey, message, {
        store,
        running,
        logger: log.child({ messageId: message.messageId }),
        staleAfterMs: config.staleMessageMinutes * 60_000,
      });
    } else if (job.kind === "card_action") {
      const action = job.payload as CardAction;
      const messageId = String(action.value.m ?? "");
      await regenerateAnswer(bot.runtime, run, job.conversationKey, messageId, {
        store,
        running,
        logger: log.child({ messageId, action: "regenerate" }),
      });
    }
  }

  const worker = createWorker({
    store,
    logger,
    concurrency: config.workerConcurrency,
    leaseMs: config.jobLeaseMs,
    handle: runJob,
  });
  const intake = createIntake({ store, onAccepted: () => worker.wake() });
  const handler = createEnvelopeHandler({
    intake,
    logger,
    onCardAction: createCardToolbar({
      store,
      intake,
      running,
      logger,
      // On PostgreSQL the answer may be running on another replica.
      ...(store.signals ? { broadcastStop: store.signals.publishStop } : {}),
    }),
    onRecall: async (botId, messageId) => {
      const { stoppedHere } = await recallQuestion(botId, messageId, {
        store,
        running,
        ...(store.signals ? { broadcastStop: store.signals.publishStop } : {}),
      });
      if (stoppedHere)
        logger.info({ botId, messageId }, "answer stopped: its question was recalled");
    },
  });
  async function reload(next?: GatewayConfig): Promise<{ bots: string[] }> {
    const fresh = next ?? options.loadConfig?.();
    if (!fresh) throw new Error("no configuration source to reload from");
    if (fresh.databaseUrl !== config.databaseUrl || fresh.http.port !== config.http.port) {
      logger.warn("database and port changes take effect after a restart");
    }
    const nextBots = buildBots(fresh);
    bots = nextBots;
    await connections.sync(fresh.bots);
    config = { ...fresh, databaseUrl: config.databaseUrl, http: config.http };
    logger.info({ bots: [...nextBots.keys()] }, "configuration reloaded");
    return { bots: [...nextBots.keys()] };
  }

  const connections = createLongConnections({ logger, handler });
  const app = buildServer({
    logger,
    routes: [
      webhookRoutes({
        findBot: (id) => bots.get(id)?.config,
        handler,
        logger,
      }),
      imageLinkRoutes({
        findBot: (id) => {
          const bot = bots.get(id);
          if (!bot) return undefined;
          return {
            appSecret: bot.config.appSecret,
            // Within Lark's own 10 MB for images (the runtime caps it).
            downloadImage: (messageId, imageKey) =>
              bot.runtime.downloadImage(messageId, imageKey, Number.POSITIVE_INFINITY),
          };
        },
        logger,
      }),
      adminRoutes({ token: () => config.adminToken, reload: () => reload() }),
    ],
    health: () => ({ bots: [...bots.keys()], longConnections: connections.status() }),
  });

  await app.listen({ host: config.http.host, port: config.http.port });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.http.port;
  const url = `http://${config.http.host === "0.0.0.0" ? "127.0.0.1" : config.http.host}:${port}`;
  worker.start();
  await connections.sync(config.bots);

  function prune(): void {
    store.prune(Date.now() - DEDUP_RETENTION_MS).catch((error) => {
      logger.warn({ err: error }, "pruning old dedup keys failed");
    });
    // Read at each run, so a reload that changes the retention applies from the next prune.
    const days = config.chatLogRetentionDays;
    if (days > 0) {
      store.pruneChatLog(Date.now() - days * DAY_MS).then(
        (deleted) => {
          if (deleted > 0) logger.info({ deleted, retentionDays: days }, "chat log pruned");
        },
        (error) => logger.warn({ err: error }, "pruning the chat log failed"),
      );
    }
  }
  prune();
  const pruneTimer = setInterval(prune, PRUNE_EVERY_MS);
  pruneTimer.unref();

  if (bots.size === 0) logger.warn(MISSING_BOT_HINT);
  for (const bot of bots.values()) {
    logger.info(
      {
        botId: bot.config.id,
        appId: bot.config.appId,
        domain: bot.config.domain,
        eventMode: bot.config.eventMode,
        backend: bot.config.app.backend,
        requestUrl:
          bot.config.id === "default" ? "/webhook/event" : `/webhook/${bot.config.id}/event`,
      },
      "bot ready",
    );
  }
  logger.info({ url, database: store.dialect }, "larkgate listening");

  let closing: Promise<void> | undefined;
  return {
    url,
    store,
    reload,
    close() {
      closing ??= (async () => {
        clearInterval(pruneTimer);
        await connections.close();
        await app.close();
        // Let answers in flight finish; what does not finish in time is resumed after restart.
        await worker.close(10_000);
        // What is still running is stopped; let those jobs record their partial answers
        // before the store goes away.
        running.abortAll();
        await worker.close(3_000);
        await store.close();
      })();
      return closing;
    },
  };
}
