import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../../src", import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : [];
  });
}

const files = sources(SRC).map((path) => ({
  path: relative(SRC, path),
  text: readFileSync(path, "utf8"),
}));

/** The layering from the style guide: domain logic never speaks Lark or HTTP directly. */
describe("dependency rule", () => {
  it("keeps the Lark SDK and Fastify out of conversation/, intake/ and backends/", () => {
    const offenders = files.filter(
      (f) =>
        /^(conversation|intake|backends)\//.test(f.path) &&
        /from "(@larksuiteoapi\/node-sdk|fastify)"/.test(f.text),
    );
    expect(offenders.map((f) => f.path)).toEqual([]);
  });

  it("imports the Lark SDK only inside lark/", () => {
    const offenders = files.filter(
      (f) => !f.path.startsWith("lark/") && f.text.includes('from "@larksuiteoapi/node-sdk"'),
    );
    expect(offenders.map((f) => f.path)).toEqual([]);
  });

  it("reads process.env only in config/ and cli/", () => {
    const offenders = files.filter(
      (f) => !/^(config|cli)\//.test(f.path) && f.text.includes("process.env"),
    );
    expect(offenders.map((f) => f.path)).toEqual([]);
  });
});
