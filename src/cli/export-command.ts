import { once } from "node:events";
import { createWriteStream } from "node:fs";
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
import { commandDatabaseUrl, missingSqliteFile } from "./database-option.js";

const HELP = `Usage: larkgate export [--config FILE | --database URL] --out FILE

Writes the chat log and every conversation's state (generation, role, answer style,
model, backend state) as JSON lines, for "larkgate import" into another database: the way
to move from SQLite to PostgreSQL without losing history. Queued jobs and dedup keys are
not exported; stop the gateways first so nothing is answered meanwhile.

Options:
  -c, --config FILE   read the database from this config file (default: $CONFIG_FILE,
                      else ./larkgate.yaml)
  -d, --database URL  sqlite:<path> or postgres://… (default: $DATABASE_URL, the config
                      file's database:, else sqlite:./data/larkgate.db)
  -o, --out FILE      where to write the export ("-" for standard output)
  -h, --help          show this help`;

export const exportCommand: Command = {
  name: "export",
  help: HELP,
  async run(args, io) {
    let values: { config?: string; database?: string; out?: string };
    try {
      values = parseArgs({
        args,
        options: {
          config: { type: "string", short: "c" },
          database: { type: "string", short: "d" },
          out: { type: "string", short: "o" },
        },
      }).values;
    } catch (error) {
      return usageError(io, "export", error);
    }
    if (!values.out) return usageError(io, "export", new Error("--out FILE is required"));
    const url = commandDatabaseUrl("export", values, io);
    if (url === undefined) return EXIT_USAGE;
    const missing = missingSqliteFile(url);
    if (missing) {
      io.err(`✗ ${missing} does not exist: nothing to export (check --database or DATABASE_URL)`);
      return EXIT_FAILED;
    }
    const toStdout = values.out === "-";
    const file = toStdout ? undefined : createWriteStream(values.out);
    const write = async (line: string) => {
      if (!file) return io.out(line);
      if (!file.write(`${line}\n`)) await once(file, "drain");
    };
    try {
      const transfer = await openTransfer(url);
      try {
        const counts = await transfer.export(write);
        if (file) {
          file.end();
          await once(file, "finish");
        }
        const message = `✓ ${redactDatabaseUrl(url)}: ${counts.exchanges} exchanges, ${counts.conversations} conversations exported${file ? ` to ${values.out}` : ""}`;
        // On stdout the export itself is the output; the summary goes to stderr.
        if (toStdout) io.err(message);
        else io.out(message);
      } finally {
        await transfer.close();
      }
    } catch (error) {
      file?.destroy();
      io.err(
        `✗ ${redactDatabaseUrl(url)}: ${error instanceof Error ? error.message : String(error)}`,
      );
      return EXIT_FAILED;
    }
    return EXIT_OK;
  },
};
