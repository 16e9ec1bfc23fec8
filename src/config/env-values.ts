import { z } from "zod";
import { ConfigError } from "./config-error.js";

/** The environment as the loaders read it: `process.env`, or what a test passes. */
export type Env = Record<string, string | undefined>;

/** The first of `names` that is set and not blank, with its name for error messages. */
export function get(env: Env, ...names: string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return { name, value };
  }
  return undefined;
}

export function integer(
  env: Env,
  names: string[],
  fallback: number,
  min: number,
  max: number,
): number {
  const found = get(env, ...names);
  if (!found) return fallback;
  const parsed = z.coerce.number().int().min(min).max(max).safeParse(found.value);
  if (!parsed.success) {
    throw new ConfigError(
      found.name,
      `"${found.value}" is not a whole number between ${min} and ${max}`,
    );
  }
  return parsed.data;
}

export function decimal(env: Env, name: string, min: number, max: number): number | undefined {
  const found = get(env, name);
  if (!found) return undefined;
  const parsed = z.coerce.number().min(min).max(max).safeParse(found.value);
  if (!parsed.success) {
    throw new ConfigError(name, `"${found.value}" is not a number between ${min} and ${max}`);
  }
  return parsed.data;
}

export function oneOf<T extends string>(
  env: Env,
  names: string[],
  allowed: readonly T[],
  fallback: T,
): T {
  const found = get(env, ...names);
  if (!found) return fallback;
  const value = found.value.toLowerCase() as T;
  if (!allowed.includes(value)) {
    throw new ConfigError(found.name, `"${found.value}" must be one of: ${allowed.join(", ")}`);
  }
  return value;
}

/** A switch written `on`/`off` (larkgate) or `true`/`false` (Feishu-OpenAI's config). */
export function flag(env: Env, name: string, fallback: boolean): boolean {
  const value = oneOf(
    env,
    [name],
    ["on", "off", "true", "false"] as const,
    fallback ? "on" : "off",
  );
  return value === "on" || value === "true";
}

/** A comma-separated list (`OPENAI_KEY=sk-1,sk-2`), blanks dropped. */
export function list(env: Env, ...names: string[]): { name: string; values: string[] } | undefined {
  const found = get(env, ...names);
  if (!found) return undefined;
  const values = found.value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
  return values.length > 0 ? { name: found.name, values } : undefined;
}
