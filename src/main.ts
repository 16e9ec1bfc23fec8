import { processIo } from "./cli/command.js";
import { runCli } from "./cli/run-cli.js";

/** `npm start`: the same as `larkgate serve` (arguments after `npm start --` are passed on). */
runCli(["serve", ...process.argv.slice(2)], processIo()).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `larkgate: failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
