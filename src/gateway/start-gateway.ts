import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Logger } from "pino";
import type { GatewayConfig } from "../config/config.js";
import { MISSING_BOT_HINT } from "../config/read-env-config.js";
import { consoleRoutes } from "../console/console-routes.js";
import { maskConfig } from "../console/mask-config.js";
import { answerJob } from "../conversation/jobs/answer-job.js";
import type { ConversationJobDeps } from "../conversation/jobs/job-deps.js";
import { pauseJob } from "../conversation/jobs/pause-job.js";
import { pictureJob } from "../conversation/jobs/picture-job.js";
import { legacyCardActionJob, regenerateJob } from "../conversation/jobs/regenerate-job.js";
import {
  WELCOME_JOB,
  welcomeConversationKey,
  welcomeJob,
} from "../conversation/jobs/welcome-job.js";
import { recallQuestion } from "../conversation/recall-question.js";
import { createRunningAnswers } from "../conversation/running-answers.js";
import { createToolbarPress } from "../conversation/toolbar-press.js";
import { eventKey } from "../intake/dedup-keys.js";
import { fencedStore } from "../intake/fenced-store.js";
import { createIntake } from "../intake/intake.js";
import { createJobRunner } from "../intake/run-job.js";
import { createWorker } from "../intake/worker.js";
import { createEnvelopeHandler } from "../lark/handle-envelope.js";
import { larkClock } from "../lark/lark-clock.js";
import { imageLinkRoutes } from "../lark/outbound/image-link-routes.js";
import { webhookRoutes } from "../lark/webhook/webhook-routes.js";
import { createGatewayMetrics } from "../metrics/gateway-metrics.js";
import { adminRoutes } from "../server/admin-routes.js";
import { buildServer } from "../server/build-server.js";
import { metricsRoutes } from "../server/metrics-routes.js";
import { createStore } from "../store/create-store.js";
import type { Store } from "../store/store.js";
import { startBacklogWatch } from "./backlog-watch.js";
import { type BotRegistry, createBotRegistry } from "./bot-registry.js";
import { gatewayObservers, quietObservers } from "./gateway-observers.js";
import { createLifecycle } from "./lifecycle.js";
import { concurrencyCaps } from "./limits-for.js";
import { createLongConnections } from "./long-connections.js";
import { startPruning } from "./prune-schedule.js";
import { createPushTracker } from "./push-tracker.js";
import { readinessChecks } from "./readiness.js";

export interface Gateway {
  /** `http://host:port` the server listens on. */
  url: string;
  /** `https://host:port` when HTTPS is served too (USE_HTTPS). */
  httpsUrl?: string;
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
  /** The config file the configuration was read from, for the console; none: env only. */
  configFile?: () => string | undefined;
}

/**
 * The composition root: store → bots → worker → HTTP → long connections → pruning. It only
 * wires; the lifecycle starts each part in that order and `close()` stops them in reverse.
 */
export async function startGateway(
  initialConfig: GatewayConfig,
  logger: Logger,
  options: GatewayOptions = {},
): Promise<Gateway> {
  let config = initialConfig;
  const life = createLifecycle(logger);
  const store = await life.start(
    "store",
    () => createStore(config.databaseUrl),
    (s) => s.close(),
  );
  // Read when Prometheus scrapes: by then every part below exists.
  const metrics = createGatewayMetrics({
    jobs: () => store.jobCounts(),
    delivery: () => Object.fromEntries(bots.all().map((b) => [b.config.id, b.delivery()])),
    longConnections: () => connections.status(),
  });
  const observe = config.metricsOff ? quietObservers() : gatewayObservers(metrics);
  const pushes = createPushTracker();
  const bots = createBotRegistry(config, logger, observe.lark);
  const running = createRunningAnswers();
  // On PostgreSQL the answer may be running on another replica.
  const broadcastStop = store.signals?.publishStop;
  store.signals?.onStop((botId, messageId) => {
    if (running.stop(botId, messageId))
      logger.info({ botId, messageId }, "stopped on request of another replica");
  });

  const jobs: ConversationJobDeps = {
    bot: (id) => bots.get(id)?.runtime,
    store: fencedStore(store),
    running,
    staleAfterMs: () => config.staleMessageMinutes * 60_000,
    now: larkClock.now,
    observe: observe.answer,
  };
  const owner = `worker-${randomUUID()}`;
  const worker = await life.start(
    "worker",
    () => {
      const w = createWorker({
        store,
        logger,
        owner,
        concurrency: config.workerConcurrency,
        leaseMs: config.jobLeaseMs,
        // From the bots as now configured, so a reload's new caps apply at the next claim.
        botCaps: () => concurrencyCaps(bots.all().map((bot) => bot.config)),
        handle: createJobRunner({
          store,
          logger,
          kinds: [
            answerJob(jobs),
            regenerateJob(jobs),
            legacyCardActionJob(jobs),
            welcomeJob(jobs),
            pictureJob(jobs),
            pauseJob(jobs),
          ],
        }),
      });
      w.start();
      return w;
    },
    async (w) => {
      // Let answers in flight finish; what does not finish in time is resumed after restart.
      await w.close(10_000);
      // What is still running is stopped; let those jobs record their partial answers
      // before the store goes away.
      running.abortAll();
      await w.close(3_000);
    },
  );

  const intake = createIntake({
    store,
    onAccepted: () => worker.wake(),
    observeCommit: observe.commit,
  });
  const handler = createEnvelopeHandler({
    intake,
    logger,
    observe: observe.event,
    onCardAction: createToolbarPress({
      store,
      intake,
      running,
      logger,
      bot: (id) => bots.get(id)?.runtime,
      ...(broadcastStop ? { broadcastStop } : {}),
    }),
    onChatOpened: async (opened) => {
      await intake.enqueue(
        {
          botId: opened.botId,
          kind: WELCOME_JOB,
          conversationKey: welcomeConversationKey(opened),
          payload: opened,
        },
        [eventKey(opened.botId, opened.eventId)],
      );
    },
    onRecall: async (botId, messageId) => {
      const { stoppedHere } = await recallQuestion(botId, messageId, {
        store,
        running,
        ...(broadcastStop ? { broadcastStop } : {}),
      });
      if (stoppedHere)
        logger.info({ botId, messageId }, "answer stopped: its question was recalled");
    },
  });
  const connections = createLongConnections({
    logger,
    handler,
    observeAck: observe.longConnectionAck,
  });

  async function reload(next?: GatewayConfig): Promise<{ bots: string[] }> {
    const fresh = next ?? options.loadConfig?.();
    if (!fresh) throw new Error("no configuration source to reload from");
    if (
      fresh.databaseUrl !== config.databaseUrl ||
      fresh.http.port !== config.http.port ||
      !sameHttps(fresh.https, config.https)
    ) {
      logger.warn("database, port and https changes take effect after a restart");
    }
    bots.replace(fresh);
    await connections.sync(fresh.bots);
    // What the servers were started with stays, so the next reload compares with it again.
    const { https: _restartOnly, ...rest } = fresh;
    config = {
      ...rest,
      databaseUrl: config.databaseUrl,
      http: config.http,
      ...(config.https ? { https: config.https } : {}),
    };
    logger.info({ bots: bots.ids() }, "configuration reloaded");
    return { bots: bots.ids() };
  }

  const routes = [
    webhookRoutes({
      findBot: (id) => bots.get(id)?.config,
      handler,
      logger,
      observe: (push) => {
        observe.push(push);
        pushes.record(push);
      },
    }),
    imageLinkRoutes({ findBot: (id) => imageSource(bots, id), logger }),
    adminRoutes({
      token: () => config.adminToken,
      reload: () => reload(),
      status: () => ({
        ...pushes.status(),
        bots: Object.fromEntries(
          bots.all().map(({ config: bot }) => [
            bot.id,
            {
              eventMode: bot.eventMode,
              ...pushes.status().bots[bot.id],
              ...(bot.eventMode === "websocket"
                ? { longConnection: connections.status()[bot.id] }
                : {}),
            },
          ]),
        ),
      }),
    }),
    consoleRoutes({
      token: () => config.adminToken,
      store,
      logger,
      reload: () => reload(),
      bots: () => consoleBots(bots, pushes, connections),
      config: () => ({
        file: options.configFile?.(),
        ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
        masked: maskConfig(config),
      }),
    }),
    metricsRoutes({
      registry: metrics.registry,
      enabled: !config.metricsOff,
      token: () => config.metricsToken,
      readiness: readinessChecks({ store, bots, connections }),
    }),
  ];
  const health = () => ({ bots: bots.ids(), longConnections: connections.status() });
  const app = await life.start(
    "http",
    async () => {
      const server = buildServer({ logger, routes, health });
      await server.listen({ host: config.http.host, port: config.http.port });
      return server;
    },
    (server) => server.close(),
  );
  const url = listeningUrl("http", config.http.host, app, config.http.port);

  // Feishu-OpenAI's USE_HTTPS: the same routes over TLS on their own port, beside plain HTTP
  // (kept for /ping, probes and a TLS-terminating proxy). Fixed at start, like the HTTP port.
  const https = config.https;
  const httpsUrl = https
    ? listeningUrl(
        "https",
        config.http.host,
        await life.start(
          "https",
          async () => {
            const tls = { cert: readFileSync(https.certFile), key: readFileSync(https.keyFile) };
            const server = buildServer({ logger, routes, health, https: tls });
            await server.listen({ host: config.http.host, port: https.port });
            return server;
          },
          (server) => server.close(),
        ),
        https.port,
      )
    : undefined;

  await life.start(
    "long connections",
    () => connections.sync(config.bots),
    () => connections.close(),
  );
  await life.start(
    "pruning",
    () => startPruning({ store, logger, config: () => config, now: larkClock.now }),
    (stop) => stop(),
  );
  await life.start(
    "backlog watch",
    () => startBacklogWatch({ store, logger, concurrency: () => config.workerConcurrency }),
    (stop) => stop(),
  );

  logReady(bots, logger);
  logger.info(
    { url, ...(httpsUrl ? { httpsUrl } : {}), database: store.dialect },
    "larkgate listening",
  );
  return { url, ...(httpsUrl ? { httpsUrl } : {}), store, reload, close: life.stop };
}

/** `scheme://host:port` a started server answers at (0.0.0.0 shown as 127.0.0.1). */
function listeningUrl(
  scheme: "http" | "https",
  host: string,
  server: { server: { address(): unknown } },
  fallbackPort: number,
): string {
  const address = server.server.address();
  const port =
    typeof address === "object" && address && "port" in address ? address.port : fallbackPort;
  return `${scheme}://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}`;
}

function sameHttps(a: GatewayConfig["https"], b: GatewayConfig["https"]): boolean {
  return a?.port === b?.port && a?.certFile === b?.certFile && a?.keyFile === b?.keyFile;
}

/** What `/files/…` needs of a bot: its secret (link signatures), its picture and file downloads. */
function imageSource(bots: BotRegistry, id: string) {
  const bot = bots.get(id);
  if (!bot) return undefined;
  return {
    appSecret: bot.config.appSecret,
    // Within Lark's own 10 MB for images (the runtime caps it).
    downloadImage: (messageId: string, imageKey: string) =>
      bot.runtime.downloadImage(messageId, imageKey, Number.POSITIVE_INFINITY),
    // Within the size the bot's app takes files up to.
    downloadFile: (messageId: string, fileKey: string) =>
      bot.runtime.downloadFile(messageId, fileKey, bot.runtime.appFor("").fileMaxBytes),
  };
}

/** What the console's Bots page shows of each bot: delivery, its state, its app. */
function consoleBots(
  bots: BotRegistry,
  pushes: ReturnType<typeof createPushTracker>,
  connections: ReturnType<typeof createLongConnections>,
) {
  const seen = pushes.status().bots;
  const linked = connections.status();
  return bots.all().map(({ config: bot, api }) => {
    const base = bot.id === "default" ? "/webhook" : `/webhook/${bot.id}`;
    const app = bot.app;
    const model = "model" in app ? app.model : "deployment" in app ? app.deployment : undefined;
    const pushesSeen = seen[bot.id];
    const link = linked[bot.id];
    return {
      id: bot.id,
      ...(bot.name ? { name: bot.name } : {}),
      appId: bot.appId,
      domain: bot.domain,
      eventMode: bot.eventMode,
      backend: app.backend,
      ...(model ? { model } : {}),
      ...(bot.answerMode ? { answerMode: bot.answerMode } : {}),
      requestPaths: [`${base}/event`, `${base}/card`],
      credentials: api.credentials(),
      ...(pushesSeen ? { pushes: pushesSeen } : {}),
      ...(link ? { longConnection: link } : {}),
    };
  });
}

function logReady(bots: BotRegistry, logger: Logger): void {
  if (bots.all().length === 0) logger.warn(MISSING_BOT_HINT);
  for (const { config } of bots.all()) {
    logger.info(
      {
        botId: config.id,
        appId: config.appId,
        domain: config.domain,
        eventMode: config.eventMode,
        backend: config.app.backend,
        requestUrl: config.id === "default" ? "/webhook/event" : `/webhook/${config.id}/event`,
      },
      "bot ready",
    );
  }
}
