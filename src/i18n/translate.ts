import { en, type TextKey } from "./en.js";
import { zh } from "./zh.js";

export type { TextKey } from "./en.js";

/** The languages larkgate speaks to users. */
export type Language = "zh" | "en";

const CATALOGUES: Record<Language, Record<TextKey, string>> = { en, zh };

/**
 * The text for `key` in `language`, with `{name}` placeholders filled from `values`.
 *
 * @example t("zh", "usage.row", { scope: "今天", answers: 3, tokens: 120 })
 */
export function t(
  language: Language,
  key: TextKey,
  values: Record<string, string | number> = {},
): string {
  const text = CATALOGUES[language][key];
  return text.replace(/\{(\w+)\}/g, (match, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : match,
  );
}

/** A translator bound to one language, for code that speaks in one voice throughout. */
export function translator(language: Language) {
  return (key: TextKey, values?: Record<string, string | number>) => t(language, key, values);
}

export type Translate = ReturnType<typeof translator>;
