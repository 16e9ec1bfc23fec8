import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { ConfigError } from "./config-error.js";
import type { Env } from "./env-values.js";

/** Feishu-OpenAI read `./config.yaml`: its variables, one `NAME: value` per line. */
export const FEISHU_OPENAI_FILE = "config.yaml";

/** Its keys are environment variable names, which is how it differs from a larkgate.yaml. */
const ENV_NAME = /^[A-Z][A-Z0-9_]*$/;

/** A Feishu-OpenAI config file, read as the variables it sets. */
export interface FeishuOpenAiFile {
  path: string;
  values: Record<string, string>;
}

/**
 * The file's variables if `path` is a Feishu-OpenAI config (every top-level key an UPPER_CASE
 * variable name), else undefined. Read with YAML's failsafe schema, so every value stays the
 * text that was written (`APP_SECRET: 0123` keeps its zero); a list becomes a comma-separated
 * value (`OPENAI_KEY: [sk-1, sk-2]` → `sk-1,sk-2`), the form the environment takes.
 */
export function readFeishuOpenAiFile(path: string): FeishuOpenAiFile | undefined {
  const doc = parseDocument(readFileSync(path, "utf8"), { schema: "failsafe" });
  const first = doc.errors[0];
  if (first) {
    throw new ConfigError(
      path,
      `not valid YAML (${first.message.split("\n")[0]}). larkgate reads a config.yaml in the working directory as Feishu-OpenAI's configuration: fix it, or move it away.`,
    );
  }
  const value: unknown = doc.toJS();
  if (!value || typeof value !== "object" || Array.isArray(value)) return undefined;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0 || !entries.every(([name]) => ENV_NAME.test(name))) return undefined;
  const values: Record<string, string> = {};
  for (const [name, item] of entries) {
    if (typeof item === "string") values[name] = item;
    else if (Array.isArray(item) && item.every((part) => typeof part === "string")) {
      values[name] = item.join(",");
    } else if (item !== null) {
      throw new ConfigError(path, `${name}: must be a value, or a list of values (OPENAI_KEY)`);
    }
  }
  return { path, values };
}

/**
 * The Feishu-OpenAI file to read when no larkgate.yaml is named: `config.yaml` in `cwd`, if
 * there is one in that format. A config.yaml of another shape is not ours, and is left alone.
 */
export function findFeishuOpenAiFile(cwd: string): FeishuOpenAiFile | undefined {
  const path = join(cwd, FEISHU_OPENAI_FILE);
  return statSync(path, { throwIfNoEntry: false })?.isFile()
    ? readFeishuOpenAiFile(path)
    : undefined;
}

/**
 * The environment with the file's variables filled in where the environment has none (unset
 * or blank, as Feishu-OpenAI's viper read it): the environment and `.env` win.
 */
export function withFileValues(env: Env, file: FeishuOpenAiFile): { env: Env; filled: string[] } {
  const merged: Env = { ...env };
  const filled: string[] = [];
  for (const [name, value] of Object.entries(file.values)) {
    if (env[name]?.trim()) continue;
    merged[name] = value;
    filled.push(name);
  }
  return { env: merged, filled };
}
