import { parseArgs } from "node:util";
import { createStore } from "../store/create-store.js";
import {
  type Command,
  EXIT_FAILED,
  EXIT_OK,
  EXIT_USAGE,
  redactDatabaseUrl,
  usageError,
} from "./command.js";
import { commandDatabaseUrl, missingSqliteFile } from "./database-option.js";

const HELP = `Usage: larkgate migrate [--config FILE | --database URL]

Creates or updates larkgate's tables. The gateway does this itself at start; run it on its
own to prepare a database ahead of a deployment, or to see that the database is reachable.
Safe to run while gateways are running: migrations take a lock and run once.

Options:
  -c, --config FILE   read the database from this config file (default: $CONFIG_FILE,
                      else ./larkgate.yaml)
  -d, --database URL  sqlite:<path> or postgres://… (default: $DATABASE_URL, the config
                      file's database:, else sqlite:./data/larkgate.db)
  -h, --help          show this help`;

export const migrateCommand: Command = {
  name: "migrate",
  help: HELP,
  async run(args, io) {
    let values: { config?: string; database?: string };
    try {
      values = parseArgs({
        args,
        options: {
          config: { type: "string", short: "c" },
          database: { type: "string", short: "d" },
        },
      }).values;
    } catch (error) {
      return usageError(io, "migrate", error);
    }
    const url = commandDatabaseUrl("migrate", values, io);
    if (url === undefined) return EXIT_USAGE;
    const shown = redactDatabaseUrl(url);
    const created = missingSqliteFile(url);
    const started = Date.now();
    try {
      const store = await createStore(url, { migrate: true });
      await store.close();
    } catch (error) {
      io.err(`✗ ${shown}: ${error instanceof Error ? error.message : String(error)}`);
      return EXIT_FAILED;
    }
    io.out(
      `✓ ${shown}: ${created ? "created, " : ""}schema up to date (${Date.now() - started} ms)`,
    );
    return EXIT_OK;
  },
};
