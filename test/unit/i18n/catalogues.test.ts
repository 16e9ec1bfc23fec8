import { describe, expect, it } from "vitest";
import { en } from "../../../src/i18n/en.js";
import { t } from "../../../src/i18n/translate.js";
import { zh } from "../../../src/i18n/zh.js";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
/** Keys whose text is the same in both languages by nature (a unit, a symbol). */
const SAME_IN_BOTH = new Set(["card.footer_tokens"]);

describe("the zh-CN and en catalogues", () => {
  it("have the same keys", () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  });

  it("have the same placeholders for every key, so no value goes missing in one language", () => {
    const mismatched = Object.keys(en).filter(
      (key) =>
        JSON.stringify(placeholders(en[key as keyof typeof en])) !==
        JSON.stringify(placeholders(zh[key as keyof typeof zh])),
    );
    expect(mismatched).toEqual([]);
  });

  it("say every Chinese text in Chinese, not left in English", () => {
    const untranslated = Object.entries(zh).filter(
      ([key, text]) => !SAME_IN_BOTH.has(key) && !/[\u4e00-\u9fff]/.test(text),
    );
    expect(untranslated.map(([key]) => key)).toEqual([]);
  });
});

describe("t", () => {
  it("fills placeholders and leaves unknown ones visible", () => {
    expect(t("zh", "usage.row", { scope: "今天", answers: 3, tokens: 120 })).toBe(
      "今天：3 次回答，120 tokens",
    );
    expect(t("en", "card.sources", {})).toBe("📚 Sources ({count})");
  });
});
