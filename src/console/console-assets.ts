import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const TYPES: Record<string, string> = {
  "console.css": "text/css; charset=utf-8",
  "console.js": "text/javascript; charset=utf-8",
};

/**
 * The console's stylesheet and script, read once at start. They live in
 * `src/console/assets/` (shipped in the package beside `dist/src`, which tsc does not copy
 * them into), so both `src/` under vitest and `dist/src/` in production find them.
 */
export function loadConsoleAssets(): Map<string, { type: string; body: Buffer }> {
  const candidates = [
    new URL("./assets/", import.meta.url),
    new URL("../../../src/console/assets/", import.meta.url),
  ];
  const dir = candidates.map((url) => fileURLToPath(url)).find((path) => existsSync(path));
  if (!dir) throw new Error("console assets missing: src/console/assets is not in the package");
  return new Map(
    Object.entries(TYPES).map(([name, type]) => [name, { type, body: readFileSync(dir + name) }]),
  );
}
