import pino from "pino";
import { ConfigError } from "./config/config-error.js";
import { loadDotEnv } from "./config/load-dotenv.js";
import { readEnvConfig } from "./config/read-env-config.js";
import { startGateway } from "./gateway/start-gateway.js";

/** `npm start`: read the configuration, start the gateway, stop cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  loadDotEnv();
  let config: ReturnType<typeof readEnvConfig>;
  try {
    config = readEnvConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`larkgate: configuration error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = pino({
    level: config.logLevel,
    base: { service: "larkgate" },
    redact: {
      paths: ["*.appSecret", "*.apiKey", "*.encryptKey", "*.verificationToken"],
      censor: "***",
    },
  });
  const gateway = await startGateway(config, logger);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    gateway.close().then(
      () => process.exit(0),
      (error) => {
        logger.error({ err: error }, "error while shutting down");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  // A bug in one event must not take the gateway down silently; log it loudly instead.
  process.on("unhandledRejection", (reason) =>
    logger.error({ err: reason }, "unhandled rejection"),
  );
}

main().catch((error) => {
  process.stderr.write(
    `larkgate: failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
