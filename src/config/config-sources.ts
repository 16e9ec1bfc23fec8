import { statSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "./config-error.js";
import type { Env } from "./env-values.js";
import {
  type FeishuOpenAiFile,
  findFeishuOpenAiFile,
  readFeishuOpenAiFile,
  withFileValues,
} from "./feishu-openai-file.js";
import { readEnvConfig } from "./read-env-config.js";

export interface LoadConfigOptions {
  /** `--config`; falls back to `CONFIG_FILE`, then `larkgate.yaml` in `cwd`. */
  configPath?: string;
  env?: Env;
  /**
   * Where an unnamed `larkgate.yaml` and Feishu-OpenAI's `config.yaml` are looked for; the
   * working directory by default.
   */
  cwd?: string;
}

/**
 * The file read when neither --config nor CONFIG_FILE names one, if it is there: so the
 * container image reads a `/app/larkgate.yaml` mounted into it and runs on the environment
 * alone without one.
 */
export const DEFAULT_CONFIG_FILE = "larkgate.yaml";

/**
 * The config file to read, if any: `--config` first, then `CONFIG_FILE`, then
 * `larkgate.yaml` in the working directory when there is one.
 */
export function configFilePath(options: LoadConfigOptions = {}): string | undefined {
  const env = options.env ?? process.env;
  const named = options.configPath?.trim() || env.CONFIG_FILE?.trim();
  if (named) return named;
  const found = join(options.cwd ?? ".", DEFAULT_CONFIG_FILE);
  return statSync(found, { throwIfNoEntry: false })?.isFile() ? found : undefined;
}

/**
 * Where the settings come from. A larkgate.yaml named by --config/CONFIG_FILE or found in the
 * working directory; or Feishu-OpenAI's config.yaml (named so, or found there), whose
 * variables fill in what the environment leaves unset. The two are told apart by their keys:
 * Feishu-OpenAI's are all UPPER_CASE variable names.
 */
export function configSources(options: LoadConfigOptions): {
  env: Env;
  path?: string;
  legacy?: { file: FeishuOpenAiFile; filled: string[] };
} {
  const env = options.env ?? process.env;
  const named = configFilePath(options);
  const file = named ? feishuOpenAiFormat(named) : findFeishuOpenAiFile(options.cwd ?? ".");
  if (!file) return { env, ...(named ? { path: named } : {}) };
  const merged = withFileValues(env, file);
  if (env === process.env) exportProxyVariables(merged.env, merged.filled);
  return { env: merged.env, legacy: { file, filled: merged.filled } };
}

const PROXY_VARIABLES = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY"];

/**
 * undici's proxy agent (Lark and LLM calls) reads the proxy from the process environment, so
 * a proxy that config.yaml sets goes there, as `.env` values do; nothing else is exported.
 */
function exportProxyVariables(env: Env, filled: string[]): void {
  for (const name of filled) {
    if (PROXY_VARIABLES.includes(name) && env[name]?.trim()) process.env[name] = env[name];
  }
}

/** A named file in Feishu-OpenAI's format; anything else (or unreadable) is read as larkgate's. */
function feishuOpenAiFormat(path: string): FeishuOpenAiFile | undefined {
  try {
    return readFeishuOpenAiFile(path);
  } catch {
    return undefined; // readConfigFile says what is wrong with it, in larkgate.yaml's terms.
  }
}

/** A mistake in a value that came from config.yaml is reported as the file's. */
export function readEnvNamingFile(env: Env, legacy?: { file: FeishuOpenAiFile; filled: string[] }) {
  try {
    return readEnvConfig(env);
  } catch (error) {
    if (error instanceof ConfigError && legacy?.filled.includes(error.variable)) {
      throw new ConfigError(legacy.file.path, error.message);
    }
    throw error;
  }
}
