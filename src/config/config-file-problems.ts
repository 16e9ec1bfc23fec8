import { type Document, isMap, isScalar, isSeq, type LineCounter } from "yaml";
import type { z } from "zod";
import { ConfigError } from "./config-error.js";

export type FilePath = (string | number)[];

/** `bots.support.chats["oc.1"].app`, the way a reader finds it in the file. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (typeof segment === "string" && /^[A-Za-z0-9_-]+$/.test(segment)) {
      out += out ? `.${segment}` : segment;
    } else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out || "(top level)";
}

/**
 * Collects every mistake in one config file, each with its path and line, so a user fixes them
 * all in one go instead of one restart per typo.
 */
export function createProblems(file: string, doc?: Document, lines?: LineCounter) {
  const found: string[] = [];

  /**
   * The line of the deepest part of `path` in the file: the key's line for a mapping entry (a
   * missing key points at its parent's key), the item's line in a list.
   */
  function lineOf(path: FilePath): number | undefined {
    if (!doc || !lines) return undefined;
    for (let depth = path.length; depth > 0; depth--) {
      const parent = depth === 1 ? doc.contents : doc.getIn(path.slice(0, depth - 1), true);
      const last = path[depth - 1];
      let node: { range?: [number, number, number] | null } | null | undefined;
      if (isMap(parent)) {
        node = parent.items.find(
          (pair) => isScalar(pair.key) && String(pair.key.value) === String(last),
        )?.key as typeof node;
      } else if (isSeq(parent) && typeof last === "number") {
        node = parent.items[last] as typeof node;
      }
      if (node?.range) return lines.linePos(node.range[0]).line;
    }
    return undefined;
  }

  function add(path: FilePath, message: string): void {
    const line = lineOf(path);
    found.push(`${formatPath(path)}${line ? ` (line ${line})` : ""}: ${message}`);
  }

  /** Everything found so far as one error (one line per problem). */
  function error(): ConfigError {
    return new ConfigError(file, found.join(`\n${file}: `));
  }

  return {
    add,
    error,
    /** Adds each zod issue, its path taken relative to `base`. */
    addIssues(base: FilePath, issues: readonly z.core.$ZodIssue[]): void {
      for (const issue of issues) {
        add([...base, ...(issue.path as FilePath)], issue.message);
      }
    },
    get count(): number {
      return found.length;
    },
    throwIfAny(): void {
      if (found.length > 0) throw error();
    },
  };
}

export type Problems = ReturnType<typeof createProblems>;
