import { z } from "zod";

/**
 * The building blocks of the `larkgate.yaml` schema, each with the message a user reads after
 * the path: `apps.support.temperature (line 7): must be a number between 0 and 2`.
 */

export function mapping<T extends z.ZodRawShape>(shape: T) {
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === "unrecognized_keys") {
        const keys = issue.keys.map((key) => `"${key}"`).join(", ");
        return `unknown key ${keys} (allowed: ${Object.keys(shape).join(", ")})`;
      }
      if (issue.code === "invalid_type") return "must be a mapping (indented `key: value` lines)";
      return undefined;
    },
  });
}

export function text(hint = "") {
  return z
    .string({
      error: (issue) =>
        issue.input === undefined || issue.input === null
          ? `is required${hint}`
          : `must be text (put it in quotes)${hint}`,
    })
    .trim()
    .min(1, `must not be empty${hint}`);
}

/** An optional setting left empty (`encryptKey:`, or `${KEY:-}`) counts as not set. */
export function optionalText() {
  return z.preprocess(
    (value) => (value === null || (typeof value === "string" && !value.trim()) ? undefined : value),
    text().optional(),
  );
}

/** Numbers may come from `${ENV}` references, which are strings until here. */
export function number(min: number, max: number, options: { int?: boolean } = {}) {
  const what = options.int ? "a whole number" : "a number";
  const base = z.number({ error: () => `must be ${what} between ${min} and ${max}` });
  const checked = (options.int ? base.int(`must be ${what}`) : base)
    .min(min, `must be ${what} between ${min} and ${max}`)
    .max(max, `must be ${what} between ${min} and ${max}`);
  return z.preprocess(
    (value) =>
      typeof value === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value,
    checked,
  );
}

export function choice<T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: () => `must be one of: ${values.join(", ")}` });
}

export const httpUrl = text().refine((value) => {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}, "must be an http(s) URL, e.g. https://api.openai.com/v1");

/** Variables are strings on the wire; numbers and booleans are accepted and stringified. */
export const variables = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean()], { error: () => "must be text" }).transform(String),
  { error: () => "must be a mapping of names to values" },
);

/** A single id is accepted where a list is expected: `users: ou_xxx`. */
export const stringList = z.preprocess(
  (value) => (typeof value === "string" ? [value] : value),
  z.array(z.string().trim().min(1, "must not be empty"), {
    error: () => "must be a list, e.g. [oc_xxx, oc_yyy]",
  }),
);

/** True or false, nothing else (`yes` is a string in YAML 1.2). */
export const boolean = z.boolean({ error: () => "must be true or false" });

/**
 * One key, a comma-separated list, or a YAML list: several keys take turns (OPENAI_KEY did
 * this in Feishu-OpenAI, so `apiKey: ${OPENAI_KEY}` carries its commas over).
 */
export const keyList = z.preprocess(
  (value) => (typeof value === "string" ? value.split(",") : value),
  z
    .array(z.string({ error: () => "must be text" }).trim(), {
      error: (issue) =>
        issue.input === undefined || issue.input === null
          ? "is required"
          : "must be a key, or a list of keys (several take turns)",
    })
    .transform((keys) => [...new Set(keys.filter(Boolean))])
    .refine((keys) => keys.length > 0, "must not be empty"),
);

/** A list of names, also accepted as one name or a comma-separated line. */
export const nameList = z.preprocess(
  (value) => (typeof value === "string" ? value.split(",").map((item) => item.trim()) : value),
  z.array(
    z
      .string({ error: () => "must be text" })
      .trim()
      .min(1, "must not be empty"),
    {
      error: () => "must be a list, e.g. [gpt-4o, gpt-4o-mini]",
    },
  ),
);
