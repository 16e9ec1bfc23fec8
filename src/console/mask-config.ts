/** Field names whose values are secrets: app secrets, encrypt keys, API keys, tokens. */
const SECRET_NAME = /secret|token|password|apikey|api_key|encryptkey|key$/i;
export const MASK = "••••";

/**
 * A copy of the configuration fit to send to a browser: every secret replaced by `••••`
 * (or left empty when unset), and passwords in database URLs removed.
 */
export function maskConfig(value: unknown, name = ""): unknown {
  if (typeof value === "string") {
    if (SECRET_NAME.test(name)) return value === "" ? "" : MASK;
    return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, `$1:${MASK}@`);
  }
  if (Array.isArray(value)) return value.map((item) => maskConfig(item, name));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, maskConfig(item, key)]),
    );
  }
  return value;
}
