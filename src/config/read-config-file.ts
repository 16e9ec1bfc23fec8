import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { LineCounter, parseDocument } from "yaml";
import type { BotConfig, LogLevel } from "./config.js";
import { ConfigError } from "./config-error.js";
import { buildApps } from "./config-file-apps.js";
import { buildBots } from "./config-file-bots.js";
import { type MissingEnvRef, resolveEnvRefs } from "./config-file-env-refs.js";
import { createProblems } from "./config-file-problems.js";
import { topLevelSchema } from "./config-file-schema.js";
import { readableFile } from "./readable-file.js";

type Env = Record<string, string | undefined>;

/** What `larkgate.yaml` says; load-config.ts merges it with the environment. */
export interface ConfigFile {
  /** The path as given, for messages. */
  path: string;
  server: { host?: string; port?: number; publicUrl?: string };
  database?: string;
  logLevel?: LogLevel;
  workerConcurrency?: number;
  staleMessageMinutes?: number;
  chatLogRetentionDays?: number;
  /** `roles:`, resolved against the file's folder, and readable. */
  rolesFile?: string;
  bots: BotConfig[];
}

/**
 * Reads and validates a YAML config file. `${NAME}` references are filled from `env`.
 * Every mistake is reported at once in one ConfigError naming the file, the path inside it
 * and the line, e.g. `larkgate.yaml: bots.hr.app (line 30): no app named "hr" (apps defined: …)`.
 *
 * @example
 *   const file = readConfigFile("larkgate.yaml", process.env);
 */
export function readConfigFile(path: string, env: Env): ConfigFile {
  const raw = parseYaml(path);
  const problems = createProblems(path, raw.doc, raw.lines);

  const missing: MissingEnvRef[] = [];
  const resolved = resolveEnvRefs(raw.value, env, missing);
  for (const ref of missing) {
    problems.add(
      ref.path,
      `\${${ref.name}} is not set. Set ${ref.name} in the environment (or .env), or write the value here`,
    );
  }
  problems.throwIfAny();

  const top = topLevelSchema.safeParse(resolved);
  if (!top.success) {
    problems.addIssues([], top.error.issues);
    throw problems.error();
  }
  const {
    server,
    database,
    logLevel,
    workerConcurrency,
    staleMessageMinutes,
    chatLogRetentionDays,
  } = top.data;
  if (database !== undefined && !/^(sqlite:|postgres(ql)?:\/\/)/.test(database)) {
    problems.add(
      ["database"],
      "use sqlite:<path> (e.g. sqlite:./data/larkgate.db) or postgres://user:password@host:5432/db",
    );
  }
  const rolesFile = top.data.roles ? resolve(dirname(path), top.data.roles) : undefined;
  const unreadable = rolesFile ? readableFile(rolesFile) : undefined;
  if (unreadable) {
    problems.add(
      ["roles"],
      `the role list ${unreadable}. The path is relative to this file's folder; the file has Feishu-OpenAI's role_list.yaml shape (- title:, content:, tags:)`,
    );
  }
  const apps = buildApps(top.data.apps ?? {}, problems);
  const bots = buildBots(top.data.bots ?? {}, apps, problems);
  problems.throwIfAny();
  return {
    path,
    server: { ...server },
    ...(database !== undefined ? { database } : {}),
    ...(logLevel !== undefined ? { logLevel } : {}),
    ...(workerConcurrency !== undefined ? { workerConcurrency } : {}),
    ...(staleMessageMinutes !== undefined ? { staleMessageMinutes } : {}),
    ...(chatLogRetentionDays !== undefined ? { chatLogRetentionDays } : {}),
    ...(rolesFile ? { rolesFile } : {}),
    bots,
  };
}

/**
 * Only the `database:` entry, for commands that just open the store (`logs`, `migrate`) and
 * should work from a shell that lacks the bots' secrets.
 */
export function readConfigFileDatabase(path: string, env: Env): string | undefined {
  const { value } = parseYaml(path);
  const database = (value as { database?: unknown }).database;
  if (database === undefined || database === null) return undefined;
  const missing: MissingEnvRef[] = [];
  const resolved = resolveEnvRefs(database, env, missing, ["database"]);
  const problems = createProblems(path);
  for (const ref of missing) problems.add(ref.path, `\${${ref.name}} is not set`);
  if (typeof resolved !== "string" || !resolved.trim()) problems.add(["database"], "must be text");
  problems.throwIfAny();
  return String(resolved).trim();
}

function parseYaml(path: string) {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      path,
      code === "ENOENT"
        ? "file not found. Check --config / CONFIG_FILE, or copy larkgate.example.yaml to start one"
        : `cannot read the file (${code ?? String(error)})`,
    );
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const where = first.linePos?.[0];
    const reason = first.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? "";
    const lineText = where ? (text.split("\n")[where.line - 1] ?? "") : "";
    const hint =
      lineText.includes("${") && /[{[]/.test(lineText.replace(/\$\{/g, ""))
        ? ` Inside { } or [ ], put \${…} references in quotes: apiKey: "\${OPENAI_KEY}"`
        : "";
    throw new ConfigError(
      path,
      `${where ? `line ${where.line}, column ${where.col}: ` : ""}not valid YAML: ${reason}.${hint}`,
    );
  }
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (error) {
    // Parsed, but not buildable: an alias (`*name`) without its anchor (`&name`) above it, or
    // more aliases than a config needs (the YAML library's guard against alias bombs).
    throw new ConfigError(
      path,
      `not valid YAML: ${(error as Error).message}. Define each &anchor before its *alias, or write the value out`,
    );
  }
  if (value === null || value === undefined) {
    throw new ConfigError(
      path,
      "the file is empty. Define at least apps: and bots: (see larkgate.example.yaml)",
    );
  }
  return { doc, lines, value };
}
