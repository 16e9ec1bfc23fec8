import type { CliIo } from "./command.js";

/** The ✓/✗ lines of `larkgate check`, counting failures for the exit code. */
export function createCheckReport(io: CliIo) {
  let failures = 0;
  // Config errors span lines (one per mistake); keep them under their mark.
  const line = (mark: string, text: string) => io.out(`  ${mark} ${text.replace(/\n/g, "\n    ")}`);
  let passes = 0;
  return {
    heading(text: string): void {
      io.out("");
      io.out(text);
    },
    pass(text: string): void {
      passes++;
      line("✓", text);
    },
    fail(text: string): void {
      failures++;
      line("✗", text);
    },
    /** Works, but worth a look; not a failure. */
    warn(text: string): void {
      line("!", text);
    },
    info(text: string): void {
      io.out(`    ${text}`);
    },
    get failures(): number {
      return failures;
    },
    get passes(): number {
      return passes;
    },
  };
}

export type CheckReport = ReturnType<typeof createCheckReport>;

/** Rejects with a clear message when a remote check hangs (a firewall that drops packets). */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
