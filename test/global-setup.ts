import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * The e2e tests start the gateway the way `npm start` does (node dist/src/main.js), so the
 * build runs once before any test.
 */
export default function setup(): void {
  const root = fileURLToPath(new URL("..", import.meta.url));
  execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], {
    cwd: root,
    stdio: "inherit",
  });
}
