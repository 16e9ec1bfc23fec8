import type { Tokens } from "marked";
import { blockToMarkdown, CARD_FLAVOR } from "./block-to-markdown.js";
import type { CardElement } from "./card-element.js";
import { lexAnswer } from "./lex-markdown.js";
import { fitsCardTable, tableToCardTable } from "./table-to-card-table.js";

/** "单张卡片最多支持放置五个表格组件" — Lark table component doc (JSON 2.0). */
export const CARD_TABLE_LIMIT = 5;

/**
 * Lark rejects a markdown element with empty content, and a plain space risks being trimmed to
 * empty server-side; a zero-width space is non-empty after any trim yet shows nothing.
 */
export const EMPTY_MARKDOWN_CONTENT = "\u200b";

export interface RenderCardBodyOptions {
  /**
   * Tables rendered as native table components; later ones use the readable list form.
   * Default and maximum 5 (Lark's per-card limit). Lower it if your tenant rejects 5.
   */
  maxTables?: number;
}

/**
 * An LLM answer as card JSON 2.0 `body.elements`: runs of ordinary blocks become one markdown
 * element each, top-level GFM tables become native table components.
 *
 * @example
 * const card = { schema: "2.0", body: { elements: renderCardBody(answer) } };
 */
export function renderCardBody(
  markdown: string,
  options: RenderCardBodyOptions = {},
): CardElement[] {
  const maxTables = tableBudget(options.maxTables);
  const elements: CardElement[] = [];
  let run: string[] = [];
  let tables = 0;
  const flushRun = (): void => {
    if (run.length > 0) elements.push({ tag: "markdown", content: run.join("\n\n") });
    run = [];
  };

  for (const token of lexAnswer(markdown)) {
    if (token.type === "table" && tables < maxTables && fitsCardTable(token as Tokens.Table)) {
      flushRun();
      elements.push(tableToCardTable(token as Tokens.Table));
      tables++;
      continue;
    }
    const block = blockToMarkdown(token, CARD_FLAVOR);
    if (block.trim() !== "") run.push(block);
  }
  flushRun();

  if (elements.length === 0) elements.push({ tag: "markdown", content: EMPTY_MARKDOWN_CONTENT });
  return elements;
}

function tableBudget(maxTables: number | undefined): number {
  if (maxTables === undefined) return CARD_TABLE_LIMIT;
  if (!Number.isInteger(maxTables) || maxTables < 0) {
    throw new RangeError(`renderCardBody: maxTables must be an integer ≥ 0, got ${maxTables}`);
  }
  return Math.min(maxTables, CARD_TABLE_LIMIT);
}
