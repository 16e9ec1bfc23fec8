import { parseArgs } from "node:util";
import type { Logger } from "pino";
import type { GatewayConfig } from "../config/config.js";
import { ConfigError } from "../config/config-error.js";
import { configFilePath } from "../config/config-sources.js";
import { loadConfig } from "../config/load-config.js";
import { loadDotEnv } from "../config/load-dotenv.js";
import { type Gateway, startGateway } from "../gateway/start-gateway.js";
import {
  type CliIo,
  type Command,
  EXIT_FAILED,
  EXIT_OK,
  EXIT_USAGE,
  processIo,
  usageError,
} from "./command.js";
import { createLogger } from "./create-logger.js";

export interface ServeOptions {
  /** `--config`; without it `CONFIG_FILE`, `./larkgate.yaml`, then the environment alone. */
  configPath?: string;
  io?: CliIo;
}

const HELP = `Usage: larkgate serve [--config FILE]

Starts the gateway (what \`npm start\` runs). Reads .env from the working directory, then the
config file (--config, CONFIG_FILE, or larkgate.yaml in the working directory) or, without
one, the environment (APP_ID, APP_SECRET, OPENAI_KEY…).

Signals:
  SIGINT, SIGTERM  finish answers in flight (up to 10 s) and stop
  SIGHUP           re-read the configuration and apply its bots and apps; an invalid file is
                   logged with its reason and the running configuration stays

Options:
  -c, --config FILE  larkgate.yaml to read (default: $CONFIG_FILE, else ./larkgate.yaml)
  -h, --help         show this help

Exit codes: 2 when the configuration is invalid, 1 when the gateway cannot start.`;

/**
 * Runs the gateway until SIGINT/SIGTERM, then resolves with the exit code. Resolves early with
 * 2 (invalid configuration) or 1 (start-up failed) after printing why to stderr.
 *
 * @example
 *   serve({ configPath: "larkgate.yaml" }).then((code) => process.exit(code));
 */
export async function serve(options: ServeOptions = {}): Promise<number> {
  const io = options.io ?? processIo();
  loadDotEnv();
  // Re-read on reload too: dotenv never overrides, so only variables added since are picked up.
  const readConfig = () => {
    loadDotEnv();
    return loadConfig({ configPath: options.configPath, env: io.env });
  };
  let config: GatewayConfig;
  try {
    config = loadConfig({ configPath: options.configPath, env: io.env });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.err(`larkgate: configuration error: ${error.message}`);
    return EXIT_USAGE;
  }
  const logger = createLogger(config.logLevel);
  let gateway: Gateway;
  try {
    gateway = await startGateway(config, logger, {
      loadConfig: readConfig,
      configFile: () => configFilePath({ configPath: options.configPath, env: io.env }),
    });
  } catch (error) {
    io.err(`larkgate: failed to start: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_FAILED;
  }
  // A bug in one event must not take the gateway down silently; log it loudly instead.
  process.on("unhandledRejection", (reason) =>
    logger.error({ err: reason }, "unhandled rejection"),
  );

  let reloading: Promise<void> = Promise.resolve();
  process.on("SIGHUP", () => {
    // One reload at a time, in signal order, so the last file written is the one applied.
    reloading = reloading.then(() => reloadOnSignal(gateway, readConfig, logger));
  });

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, "shutting down");
      const since = performance.now();
      gateway.close().then(
        () => {
          // Says the drain ended before the exit, not a kill (docker stop waits only 10 s).
          logger.info({ signal, ms: Math.round(performance.now() - since) }, "stopped");
          resolve(EXIT_OK);
        },
        (error) => {
          logger.error({ err: error }, "error while shutting down");
          resolve(EXIT_FAILED);
        },
      );
    };
    process.on("SIGINT", () => stop("SIGINT"));
    process.on("SIGTERM", () => stop("SIGTERM"));
  });
}

async function reloadOnSignal(
  gateway: Gateway,
  readConfig: () => GatewayConfig,
  logger: Logger,
): Promise<void> {
  let next: GatewayConfig;
  try {
    next = readConfig();
  } catch (error) {
    // The message names the file, the path in it and the fix; it never contains values.
    logger.error(
      { signal: "SIGHUP", reason: error instanceof Error ? error.message : String(error) },
      "configuration not reloaded: it is invalid, the running configuration stays",
    );
    return;
  }
  try {
    await gateway.reload(next);
  } catch (error) {
    logger.error(
      { signal: "SIGHUP", err: error },
      "configuration not reloaded, the running configuration stays",
    );
  }
}

export const serveCommand: Command = {
  name: "serve",
  help: HELP,
  async run(args, io) {
    let configPath: string | undefined;
    try {
      const { values } = parseArgs({
        args,
        options: { config: { type: "string", short: "c" } },
        allowPositionals: false,
      });
      configPath = values.config;
    } catch (error) {
      return usageError(io, "serve", error);
    }
    return serve({ configPath, io });
  },
};
