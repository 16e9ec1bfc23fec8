/** Where a command writes, and what it reads from the environment. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: Record<string, string | undefined>;
}

/** One `larkgate <name>` subcommand. `run` resolves with the process exit code. */
export interface Command {
  name: string;
  /** Full text for `larkgate <name> --help`. */
  help: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/** Exit codes: 0 ok, 1 a check or operation failed, 2 the command line or config is wrong. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** The io of the real process. */
export function processIo(): CliIo {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
  };
}

/** Prints a parseArgs/usage mistake with a pointer to the help, and returns EXIT_USAGE. */
export function usageError(io: CliIo, command: string, error: unknown): number {
  const message = error instanceof Error ? error.message : String(error);
  io.err(`larkgate ${command}: ${message}`);
  io.err(`Run "larkgate ${command} --help" for the options.`);
  return EXIT_USAGE;
}

/** Never echo a database password. */
export function redactDatabaseUrl(url: string): string {
  return url.replace(/\/\/([^/@:]*):[^/@]*@/, "//$1:***@");
}
