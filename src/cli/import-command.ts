import { createReadStream, existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { openTransfer } from "../store/chat-log-transfer.js";
import {
  type Command,
  EXIT_FAILED,
  EXIT_OK,
  EXIT_USAGE,
  redactDatabaseUrl,
  usageError,
} from "./command.js";
import { commandDatabaseUrl } from "./database-option.js";

const HELP = `Usage: larkgate import [--config FILE | --database URL] FILE

Reads an export of "larkgate export" into a database (created and migrated if needed):
the chat log and every conversation's state, in one transaction, so a failure leaves the
database as it was. The target must not have a chat log yet.

Options:
  -c, --config FILE   read the database from this config file (default: $CONFIG_FILE,
                      else ./larkgate.yaml)
  -d, --database URL  sqlite:<path> or postgres://… (default: $DATABASE_URL, the config
                      file's database:, else sqlite:./data/larkgate.db)
  -h, --help          show this help`;

export const importCommand: Command = {
  name: "import",
  help: HELP,
  async run(args, io) {
    let parsed: { values: { config?: string; database?: string }; positionals: string[] };
    try {
      parsed = parseArgs({
        args,
        allowPositionals: true,
        options: {
          config: { type: "string", short: "c" },
          database: { type: "string", short: "d" },
        },
      });
    } catch (error) {
      return usageError(io, "import", error);
    }
    const [file, ...extra] = parsed.positionals;
    if (!file || extra.length > 0) {
      return usageError(io, "import", new Error("give exactly one export file"));
    }
    if (!existsSync(file)) {
      io.err(`✗ ${file} does not exist`);
      return EXIT_FAILED;
    }
    const url = commandDatabaseUrl("import", parsed.values, io);
    if (url === undefined) return EXIT_USAGE;
    const shown = redactDatabaseUrl(url);
    try {
      const transfer = await openTransfer(url);
      try {
        const counts = await transfer.import(() =>
          createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY }),
        );
        io.out(
          `✓ ${shown}: ${counts.exchanges} exchanges, ${counts.conversations} conversations imported from ${file}`,
        );
      } finally {
        await transfer.close();
      }
    } catch (error) {
      io.err(`✗ ${shown}: ${error instanceof Error ? error.message : String(error)}`);
      return EXIT_FAILED;
    }
    return EXIT_OK;
  },
};
