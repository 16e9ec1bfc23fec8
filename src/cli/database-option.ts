import { existsSync } from "node:fs";
import { ConfigError } from "../config/config-error.js";
import { loadDatabaseUrl } from "../config/load-config.js";
import { sqlitePathOf } from "../store/database.js";
import type { CliIo } from "./command.js";

/** `--database` wins; else DATABASE_URL, the config file's `database:`, the default. */
export function databaseUrlOf(
  values: { database?: string; config?: string },
  env: Record<string, string | undefined>,
): string {
  const given = values.database?.trim();
  if (given) return given;
  return loadDatabaseUrl({ configPath: values.config, env });
}

/**
 * `databaseUrlOf` for a command: a configuration mistake is printed as that command's error
 * and gives undefined, so the caller exits with EXIT_USAGE.
 */
export function commandDatabaseUrl(
  command: string,
  values: { database?: string; config?: string },
  io: CliIo,
): string | undefined {
  try {
    return databaseUrlOf(values, io.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.err(`larkgate ${command}: configuration error: ${error.message}`);
    return undefined;
  }
}

/** The file of a `sqlite:` URL, or undefined for PostgreSQL and `sqlite::memory:`. */
export function sqliteFile(url: string): string | undefined {
  const path = sqlitePathOf(url);
  return path && path !== ":memory:" ? path : undefined;
}

/** Reading a log from a SQLite file that is not there would create an empty one; say so instead. */
export function missingSqliteFile(url: string): string | undefined {
  const file = sqliteFile(url);
  return file !== undefined && !existsSync(file) ? file : undefined;
}

/** Errors of a database without larkgate's tables, from SQLite or PostgreSQL. */
export function isMissingTable(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /no such table|relation .* does not exist/i.test(message);
}
