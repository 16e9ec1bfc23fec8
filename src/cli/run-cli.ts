import { readFileSync } from "node:fs";
import { loadDotEnv } from "../config/load-dotenv.js";
import { type CliIo, type Command, EXIT_OK, EXIT_USAGE } from "./command.js";

interface CommandEntry {
  name: string;
  /** One line for `larkgate --help`. */
  summary: string;
  /** Loaded on use: the Lark SDK, the OpenAI client and the database drivers take a while. */
  load(): Promise<Command>;
}

const COMMANDS: CommandEntry[] = [
  {
    name: "serve",
    summary: "start the gateway (what npm start runs)",
    load: async () => (await import("./serve-command.js")).serveCommand,
  },
  {
    name: "check",
    summary: "validate the config, test each bot's Lark credentials and each LLM app",
    load: async () => (await import("./check-command.js")).checkCommand,
  },
  {
    name: "logs",
    summary: "show the chat log (questions and answers), optionally following it",
    load: async () => (await import("./logs-command.js")).logsCommand,
  },
  {
    name: "usage",
    summary: "show a user's use against a bot's limits; grant a one-off extension",
    load: async () => (await import("./usage-command.js")).usageCommand,
  },
  {
    name: "migrate",
    summary: "create or update the database tables",
    load: async () => (await import("./migrate-command.js")).migrateCommand,
  },
  {
    name: "prune",
    summary: "remove old dedup keys, finished jobs and chat log past retention (--dry-run)",
    load: async () => (await import("./prune-command.js")).pruneCommand,
  },
  {
    name: "export",
    summary: "write the chat log and conversations as JSON lines (to move databases)",
    load: async () => (await import("./export-command.js")).exportCommand,
  },
  {
    name: "import",
    summary: "read an export into an empty database",
    load: async () => (await import("./import-command.js")).importCommand,
  },
  {
    name: "reload",
    summary: "make a running gateway re-read its configuration",
    load: async () => (await import("./reload-command.js")).reloadCommand,
  },
];

function rootHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "Usage: larkgate <command> [options]",
    "",
    "Puts LLM apps (OpenAI-compatible, FastGPT, Dify) on Lark/Feishu as chat bots.",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Configuration: a larkgate.yaml (--config FILE, CONFIG_FILE, or ./larkgate.yaml; see",
    "larkgate.example.yaml), or the environment alone (APP_ID, APP_SECRET, OPENAI_KEY…). .env in",
    "the working directory is read first; real environment variables win.",
    "",
    'Run "larkgate <command> --help" for the options of a command.',
  ].join("\n");
}

function version(): string {
  // dist/src/cli/ when built, src/cli/ when run from source.
  for (const relative of ["../../../package.json", "../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(relative, import.meta.url), "utf8"));
      if (pkg?.name === "larkgate") return String(pkg.version);
    } catch {
      // try the next layout
    }
  }
  return "unknown";
}

const wantsHelp = (args: string[]) => args.includes("--help") || args.includes("-h");

/**
 * `larkgate <command> …`: resolves with the exit code once the command is done (for `serve`,
 * after the gateway stopped).
 *
 * @example
 *   process.exitCode = await runCli(["check", "--config", "larkgate.yaml"], processIo());
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    const topic = name === "help" ? COMMANDS.find((c) => c.name === args[0]) : undefined;
    io.out(topic ? (await topic.load()).help : rootHelp());
    return EXIT_OK;
  }
  if (name === "--version" || name === "-v") {
    io.out(version());
    return EXIT_OK;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    const names = COMMANDS.map((c) => c.name).join(", ");
    io.err(`larkgate: unknown command "${name}". Commands: ${names}.`);
    io.err('Run "larkgate --help" for more.');
    return EXIT_USAGE;
  }
  const command = await entry.load();
  if (wantsHelp(args)) {
    io.out(command.help);
    return EXIT_OK;
  }
  loadDotEnv();
  return command.run(args, io);
}
