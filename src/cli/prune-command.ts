import { parseArgs } from "node:util";
import type { GatewayConfig } from "../config/config.js";
import { ConfigError } from "../config/config-error.js";
import { loadConfig } from "../config/load-config.js";
import { pruneOnce } from "../gateway/retention.js";
import { createStore } from "../store/create-store.js";
import {
  type Command,
  EXIT_FAILED,
  EXIT_OK,
  EXIT_USAGE,
  redactDatabaseUrl,
  usageError,
} from "./command.js";
import { missingSqliteFile } from "./database-option.js";

const HELP = `Usage: larkgate prune [--dry-run] [--config FILE]

Removes what the gateway prunes every hour: dedup keys and finished jobs past the dedup
window, and chat-log exchanges past their retention (CHAT_LOG_RETENTION_DAYS, or a bot's
chatLogRetentionDays in larkgate.yaml; 0 keeps everything). Deletes in small batches, so
running gateways keep acknowledging pushes meanwhile.

Options:
  -c, --config FILE   the configuration (default: $CONFIG_FILE, else ./larkgate.yaml, else the
                      environment)
  -n, --dry-run       only say how many rows would go
  -h, --help          show this help`;

export const pruneCommand: Command = {
  name: "prune",
  help: HELP,
  async run(args, io) {
    let values: { config?: string; "dry-run"?: boolean };
    try {
      values = parseArgs({
        args,
        options: {
          config: { type: "string", short: "c" },
          "dry-run": { type: "boolean", short: "n" },
        },
      }).values;
    } catch (error) {
      return usageError(io, "prune", error);
    }
    let config: GatewayConfig;
    try {
      config = loadConfig({ configPath: values.config, env: io.env });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      io.err(`larkgate prune: configuration error: ${error.message}`);
      return EXIT_USAGE;
    }
    const shown = redactDatabaseUrl(config.databaseUrl);
    const missing = missingSqliteFile(config.databaseUrl);
    if (missing) {
      io.err(`✗ ${missing} does not exist: nothing to prune (check DATABASE_URL)`);
      return EXIT_FAILED;
    }
    const dryRun = values["dry-run"] === true;
    try {
      const store = await createStore(config.databaseUrl);
      try {
        const report = await pruneOnce(store, config, { dryRun });
        const verb = dryRun ? "would remove" : "removed";
        io.out(`${shown}: ${verb}`);
        io.out(`  ${report.dedupKeys} dedup keys and ${report.jobs} finished jobs`);
        io.out(`  ${report.pendingFiles} expired file rows`);
        if (report.pauses > 0) io.out(`  ${report.pauses} expired workflow questions`);
        const kept = Object.keys(report.exchanges).length === 0;
        for (const [scope, count] of Object.entries(report.exchanges)) {
          const whose = scope === "*" ? "the gateway's retention" : `bot ${scope}'s retention`;
          io.out(`  ${count} chat-log exchanges past ${whose}`);
        }
        if (kept) io.out("  no chat-log exchanges (no retention is set: the chat log is kept)");
      } finally {
        await store.close();
      }
    } catch (error) {
      io.err(`✗ ${shown}: ${error instanceof Error ? error.message : String(error)}`);
      return EXIT_FAILED;
    }
    return EXIT_OK;
  },
};
