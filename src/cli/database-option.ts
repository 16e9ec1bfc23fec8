import { existsSync } from "node:fs";
import { loadDatabaseUrl } from "../config/load-config.js";

/** `--database` wins; else DATABASE_URL, the config file's `database:`, the default. */
export function databaseUrlOf(
  values: { database?: string; config?: string },
  env: Record<string, string | undefined>,
): string {
  const given = values.database?.trim();
  if (given) return given;
  return loadDatabaseUrl({ configPath: values.config, env });
}

/** The file of a `sqlite:` URL, or undefined for PostgreSQL and `sqlite::memory:`. */
export function sqliteFile(url: string): string | undefined {
  if (!url.startsWith("sqlite:")) return undefined;
  let path = url.slice("sqlite:".length);
  if (path.startsWith("//")) path = path.slice(2);
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
