#!/usr/bin/env node
import { processIo } from "./command.js";
import { runCli } from "./run-cli.js";

/** Exit only once stdout has taken everything: piped output is asynchronous on some systems. */
function exitWith(code: number): void {
  process.stdout.write("", () => process.exit(code));
}

runCli(process.argv.slice(2), processIo()).then(exitWith, (error: unknown) => {
  process.stderr.write(
    `larkgate: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  exitWith(1);
});
