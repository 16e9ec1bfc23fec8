import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { startGatewayProcess } from "../../e2e/gateway-process.js";
import { runCommand } from "../../run-command.js";
import { tempDir } from "../../temp-dir.js";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const MINUTE = 60_000;

/**
 * The package as npm would publish it, installed the way a user installs it: `npm pack`, then
 * the tarball into an empty project with `--omit=dev`. What the gateway needs at run time must
 * be in `files` and `dependencies`, or it does not start here.
 */
describe("the packed npm tarball", () => {
  let files: string[];
  let project: string;

  beforeAll(async () => {
    const dir = tempDir("npm-pack");
    // --ignore-scripts: `prepack` would rebuild dist/ while other test files run gateways from
    // it; the global setup has just built it with the same command.
    const packed = await runCommand(
      "npm",
      ["pack", "--ignore-scripts", "--json", "--pack-destination", dir],
      { cwd: ROOT },
    );
    const [info] = JSON.parse(packed.stdout) as Array<{
      filename: string;
      files: Array<{ path: string }>;
    }>;
    files = info!.files.map((file) => file.path);
    project = join(dir, "project");
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), '{ "name": "uses-larkgate", "private": true }\n');
    // better-sqlite3 compiles here unless its prebuilt binary can be downloaded (about a
    // minute); --prefer-offline takes the tarballs from npm's cache when `npm ci` put them there.
    await runCommand(
      "npm",
      ["install", "--omit=dev", "--prefer-offline", "--no-audit", "--no-fund"].concat(
        join(dir, info!.filename),
      ),
      { cwd: project, timeoutMs: 10 * MINUTE, nice: true },
    );
  }, 12 * MINUTE);

  it("holds the built gateway and its metadata, not the sources or the tests", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        "package.json",
        "README.md",
        "dist/src/main.js",
        "dist/src/cli/larkgate.js",
        // The console's stylesheet and script, served as they are (tsc does not copy them).
        "src/console/assets/console.css",
        "src/console/assets/console.js",
      ]),
    );
    const sources = files.filter(
      (path) => /^(src|test|bench)\//.test(path) && !path.startsWith("src/console/assets/"),
    );
    expect(sources).toEqual([]);
  });

  it("installs without development dependencies, building nothing there", () => {
    expect(existsSync(join(project, "node_modules/larkgate/dist/src/main.js"))).toBe(true);
    expect(existsSync(join(project, "node_modules/typescript"))).toBe(false);
    expect(existsSync(join(project, "node_modules/vitest"))).toBe(false);
  });

  it(
    "starts as `larkgate serve` from node_modules/.bin and answers /ping",
    async () => {
      const gateway = await startGatewayProcess(
        { DATABASE_URL: `sqlite:${join(project, "data/larkgate.db")}` },
        { cwd: project, command: [join(project, "node_modules/.bin/larkgate"), "serve"] },
      );
      try {
        const response = await fetch(`${gateway.url}/ping`);
        expect(await response.text()).toBe("pong");
        // The store migrated: readiness asks it.
        expect((await fetch(`${gateway.url}/readyz`)).status).toBe(200);
      } finally {
        expect(await gateway.stop()).toBe(0);
      }
    },
    MINUTE,
  );

  it("tells its version, read from the installed package.json", async () => {
    const { stdout } = await runCommand(
      join(project, "node_modules/.bin/larkgate"),
      ["--version"],
      {
        cwd: project,
      },
    );
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(stdout.trim()).toBe(pkg.version);
  });
});
