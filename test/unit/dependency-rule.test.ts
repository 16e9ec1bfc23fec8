import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
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

/**
 * The folders and what each may import (docs/architecture.md draws it). The flow of an event:
 * lark/ → intake/ → conversation/ → backends/ → back out through lark/outbound; messages/ is
 * the model they share and imports nothing. gateway/ and cli/ wire everything.
 */
/** What the composition root wires together: every folder but the CLI. */
const WIRED = [
  "messages",
  "audio",
  "documents",
  "i18n",
  "config",
  "store",
  "server",
  "backends",
  "intake",
  "conversation",
  "lark",
  "metrics",
  "net",
  "console",
];

const ALLOWED: Record<string, readonly string[]> = {
  messages: [],
  /** Audio formats (Ogg, Opus → PCM): pure code over bytes. */
  audio: [],
  /** Documents (PDF, Office, CSV, HTML) → text: pure code over bytes. */
  documents: [],
  i18n: [],
  config: ["i18n"],
  store: [],
  server: [],
  /** The Prometheus series; the parts report through callbacks, so only gateway/ wires it. */
  metrics: [],
  /** Fetching what answers link to, guarded against reaching the gateway's own network. */
  net: [],
  backends: ["messages", "config", "net"],
  intake: ["messages", "store"],
  conversation: ["messages", "i18n", "backends", "store", "intake", "documents"],
  lark: ["messages", "i18n", "conversation", "intake", "audio", "net"],
  /** The web console: pages over the store, answers rendered as lark/outbound renders cards. */
  console: ["i18n", "store", "server", "lark"],
  gateway: WIRED,
  cli: [...WIRED, "gateway"],
};

/** Inside lark/, the receivers and the outbound client do not reach into each other. */
const LARK_PARTS = ["inbound", "outbound", "webhook", "ws"];

function folderOf(path: string): string {
  return path.includes("/") ? path.slice(0, path.indexOf("/")) : path; // `main.ts` is its own
}

/** Every relative import of every file, resolved to a path under src/. */
const edges = files.flatMap((file) =>
  [...file.text.matchAll(/(?:from|import)\s*"(\.{1,2}\/[^"]+)"/g)].map((match) => ({
    from: file.path,
    to: relative(SRC, resolve(SRC, dirname(file.path), match[1]!)).replace(/\.js$/, ".ts"),
  })),
);

describe("dependency rule", () => {
  it("lets each folder import only the folders below it", () => {
    const broken = edges
      .filter(({ from, to }) => {
        const a = folderOf(from);
        const b = folderOf(to);
        if (a === b || a === "main.ts") return false;
        return !(ALLOWED[a] ?? []).includes(b);
      })
      .map(
        ({ from, to }) =>
          `${from} imports ${to}: ${folderOf(from)}/ may import only ${(ALLOWED[folderOf(from)] ?? []).join(", ") || "nothing of ours"}`,
      );
    expect(broken).toEqual([]);
  });

  it("has no cycle between folders", () => {
    const graph = new Map<string, Set<string>>();
    for (const { from, to } of edges) {
      const [a, b] = [folderOf(from), folderOf(to)];
      if (a !== b) graph.set(a, (graph.get(a) ?? new Set()).add(b));
    }
    const cycles: string[] = [];
    const visit = (node: string, path: string[]) => {
      if (path.includes(node)) {
        cycles.push([...path.slice(path.indexOf(node)), node].join(" → "));
        return;
      }
      for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
    };
    for (const node of graph.keys()) visit(node, []);
    expect(cycles).toEqual([]);
  });

  it("keeps lark/'s receivers and outbound client out of each other", () => {
    const part = (path: string) => /^lark\/([^/]+)\//.exec(path)?.[1];
    const broken = edges
      .filter(({ from, to }) => {
        const [a, b] = [part(from), part(to)];
        return a && b && a !== b && LARK_PARTS.includes(a) && LARK_PARTS.includes(b);
      })
      .map(
        ({ from, to }) =>
          `${from} imports ${to}: lark/${part(from)}/ may not import lark/${part(to)}/`,
      );
    expect(broken).toEqual([]);
  });

  it("keeps the Lark SDK and Fastify out of messages/, conversation/, intake/ and backends/", () => {
    const offenders = files.filter(
      (f) =>
        /^(messages|conversation|intake|backends)\//.test(f.path) &&
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

  it("sees the imports it checks (a rule over no edges would pass for nothing)", () => {
    expect(
      edges.some((e) => e.from.startsWith("conversation/") && e.to.startsWith("messages/")),
    ).toBe(true);
    expect(edges.some((e) => e.from.startsWith("lark/") && e.to.startsWith("conversation/"))).toBe(
      true,
    );
  });
});
