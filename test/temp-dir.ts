import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

const made: string[] = [];

/**
 * A fresh directory under the OS temp dir, removed when the test file finishes (a run used to
 * leave a few hundred behind). Registered in test/setup.ts, after every hook of the file, so
 * gateways a test started are stopped before their database goes.
 */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `larkgate-${prefix}-`));
  made.push(dir);
  return dir;
}

function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** For test/setup.ts only. */
export function removeTempDirsAfterAll(): void {
  afterAll(removeTempDirs);
}
