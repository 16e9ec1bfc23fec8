/** A `${NAME}` the environment does not define, and where the file uses it. */
export interface MissingEnvRef {
  name: string;
  path: (string | number)[];
}

/** `${NAME}` or `${NAME:-fallback}`; `$${` writes a literal `${`. */
const REF = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${NAME}` in every string value of a parsed YAML tree (keys are left alone) with the
 * variable from `env`. Secrets then stay in the environment or `.env`, out of the file.
 * An empty variable counts as unset, as it does for the environment-only setup.
 *
 * @example
 *   const missing: MissingEnvRef[] = [];
 *   resolveEnvRefs({ apiKey: "${OPENAI_KEY}" }, { OPENAI_KEY: "sk-1" }, missing); // { apiKey: "sk-1" }
 */
export function resolveEnvRefs(
  value: unknown,
  env: Record<string, string | undefined>,
  missing: MissingEnvRef[],
  path: (string | number)[] = [],
): unknown {
  if (typeof value === "string") {
    return value.replace(REF, (whole, name: string | undefined, fallback: string | undefined) => {
      if (name === undefined) return "${";
      const found = env[name]?.trim();
      if (found) return found;
      if (fallback !== undefined) return fallback;
      missing.push({ name, path });
      return whole;
    });
  }
  if (Array.isArray(value)) {
    return value.map((item, index) => resolveEnvRefs(item, env, missing, [...path, index]));
  }
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = resolveEnvRefs(item, env, missing, [...path, key]);
    }
    return out;
  }
  return value;
}
