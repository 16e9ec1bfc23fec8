import { parseArgs } from "node:util";
import { createStore } from "../store/create-store.js";
import type { Exchange, ExchangeFilter, Store } from "../store/store.js";
import {
  type CliIo,
  type Command,
  EXIT_FAILED,
  EXIT_OK,
  EXIT_USAGE,
  redactDatabaseUrl,
  usageError,
} from "./command.js";
import { commandDatabaseUrl, isMissingTable, missingSqliteFile } from "./database-option.js";
import { exchangeJson, formatExchange } from "./format-exchange.js";
import { parseTime } from "./parse-time.js";

const HELP = `Usage: larkgate logs [options]

The chat log: one line per question and answer (time, bot, chat, user, status, latency,
model, tokens, question → answer), oldest first. Times are local.

Options:
  -c, --config FILE      read the database from this config file (default: $CONFIG_FILE,
                         else ./larkgate.yaml)
  -d, --database URL     sqlite:<path> or postgres://… (default: $DATABASE_URL, the config
                         file's database:, else sqlite:./data/larkgate.db)
      --bot ID           only this bot
      --chat ID          only this chat (oc_…)
      --user OPEN_ID     only this user (ou_…)
      --since WHEN       from this time: a duration back from now (30m, 2h, 7d) or a
                         date/time (2026-11-21, 2026-11-21T10:00)
      --until WHEN       before this time (same forms)
  -n, --limit N          the last N entries (default 50)
  -f, --follow           keep printing new entries until Ctrl-C
      --json             one JSON object per line (all fields, plus "time" in ISO 8601)
  -h, --help             show this help`;

const DEFAULT_LIMIT = 50;
const FOLLOW_POLL_MS = 1000;
const FOLLOW_BATCH = 500;

/** Resolves on Ctrl-C / SIGTERM, so `--follow` can close the store and exit cleanly. */
function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
}

async function follow(
  store: Store,
  filter: ExchangeFilter,
  lastId: number,
  print: (e: Exchange) => void,
) {
  let stopped = false;
  const stop = untilInterrupted().then(() => {
    stopped = true;
  });
  let afterId = lastId;
  while (!stopped) {
    const rows = await store.listExchanges({ ...filter, afterId, limit: FOLLOW_BATCH });
    for (const row of rows) print(row);
    afterId = rows.at(-1)?.id ?? afterId;
    if (rows.length === FOLLOW_BATCH) continue;
    await Promise.race([stop, new Promise((resolve) => setTimeout(resolve, FOLLOW_POLL_MS))]);
  }
}

export const logsCommand: Command = {
  name: "logs",
  help: HELP,
  async run(args, io: CliIo) {
    let values: ReturnType<typeof parse>["values"];
    let filter: ExchangeFilter;
    let limit: number;
    try {
      values = parse(args).values;
      limit = Number(values.limit ?? DEFAULT_LIMIT);
      if (!Number.isInteger(limit) || limit < 1) {
        throw new Error(`--limit "${values.limit}" must be a whole number of at least 1`);
      }
      filter = {
        ...(values.bot ? { botId: values.bot } : {}),
        ...(values.chat ? { chatId: values.chat } : {}),
        ...(values.user ? { senderOpenId: values.user } : {}),
        ...(values.since ? { since: parseTime("since", values.since) } : {}),
        ...(values.until ? { until: parseTime("until", values.until) } : {}),
      };
    } catch (error) {
      return usageError(io, "logs", error);
    }

    const url = commandDatabaseUrl("logs", values, io);
    if (url === undefined) return EXIT_USAGE;
    const missing = missingSqliteFile(url);
    if (missing) {
      io.err(
        `larkgate logs: no database at ${missing}. Start the gateway once, or point --database / --config at the one it uses.`,
      );
      return EXIT_FAILED;
    }

    const print = values.json
      ? (e: Exchange) => io.out(exchangeJson(e))
      : (e: Exchange) => io.out(formatExchange(e));
    let store: Store | undefined;
    try {
      store = await createStore(url, { migrate: false });
      const rows = await store.listExchanges({ ...filter, limit });
      for (const row of rows) print(row);
      // On stderr, so a pipe (e.g. into jq) only ever sees entries.
      if (rows.length === 0 && !values.json) io.err("(no chat log entries match)");
      if (values.follow) await follow(store, filter, rows.at(-1)?.id ?? 0, print);
      return EXIT_OK;
    } catch (error) {
      io.err(
        isMissingTable(error)
          ? `larkgate logs: ${redactDatabaseUrl(url)} has no chat log yet. Run "larkgate migrate" or start the gateway once.`
          : `larkgate logs: ${error instanceof Error ? error.message : String(error)}`,
      );
      return EXIT_FAILED;
    } finally {
      await store?.close();
    }
  },
};

function parse(args: string[]) {
  return parseArgs({
    args,
    options: {
      config: { type: "string", short: "c" },
      database: { type: "string", short: "d" },
      bot: { type: "string" },
      chat: { type: "string" },
      user: { type: "string" },
      since: { type: "string" },
      until: { type: "string" },
      limit: { type: "string", short: "n" },
      follow: { type: "boolean", short: "f" },
      json: { type: "boolean" },
    },
  });
}
