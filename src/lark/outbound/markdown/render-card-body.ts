import type { Token, Tokens } from "marked";
import { blockToMarkdown, CARD_FLAVOR } from "./block-to-markdown.js";
import type { CardElement } from "./card-element.js";
import { inlineToMarkdown } from "./inline-to-markdown.js";
import { lexAnswer } from "./lex-markdown.js";
import type { PictureLookup } from "./picture-lookup.js";
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
  /**
   * The answer's pictures: one uploaded to Lark is shown as an image component where a
   * paragraph has it (inside lists and quotes, inline by its key); the others stay links.
   */
  pictures?: PictureLookup;
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

  const flavor = options.pictures ? { ...CARD_FLAVOR, pictures: options.pictures } : CARD_FLAVOR;
  for (const token of lexAnswer(markdown)) {
    if (token.type === "paragraph" && options.pictures) {
      const pieces = paragraphWithPictures(token as Tokens.Paragraph, options.pictures);
      if (pieces) {
        for (const piece of pieces) {
          if (typeof piece === "string") {
            if (piece.trim() !== "") run.push(piece.trim());
          } else {
            flushRun();
            elements.push(piece);
          }
        }
        continue;
      }
    }
    if (token.type === "table" && tables < maxTables && fitsCardTable(token as Tokens.Table)) {
      flushRun();
      elements.push(tableToCardTable(token as Tokens.Table));
      tables++;
      continue;
    }
    const block = blockToMarkdown(token, flavor);
    if (block.trim() !== "") run.push(block);
  }
  flushRun();

  if (elements.length === 0) elements.push({ tag: "markdown", content: EMPTY_MARKDOWN_CONTENT });
  return elements;
}

/**
 * A paragraph holding shown pictures, as the markdown before each picture, the picture, and the
 * markdown after; undefined when it has none (the common case, rendered as before).
 */
function paragraphWithPictures(
  paragraph: Tokens.Paragraph,
  pictures: PictureLookup,
): Array<string | CardElement> | undefined {
  const shown = (token: Token) =>
    token.type === "image" ? pictures((token as Tokens.Image).href) : undefined;
  if (!paragraph.tokens.some((token) => shown(token)?.state === "shown")) return undefined;
  const pieces: Array<string | CardElement> = [];
  let pending: Token[] = [];
  for (const token of paragraph.tokens) {
    const picture = shown(token);
    if (picture?.state !== "shown") {
      pending.push(token);
      continue;
    }
    pieces.push(inlineToMarkdown(pending, { pictures }));
    pending = [];
    pieces.push({
      tag: "img",
      img_key: picture.imageKey,
      alt: { tag: "plain_text", content: (token as Tokens.Image).text.trim() },
      scale_type: "fit_horizontal",
      preview: true,
    });
  }
  pieces.push(inlineToMarkdown(pending, { pictures }));
  return pieces;
}

function tableBudget(maxTables: number | undefined): number {
  if (maxTables === undefined) return CARD_TABLE_LIMIT;
  if (!Number.isInteger(maxTables) || maxTables < 0) {
    throw new RangeError(`renderCardBody: maxTables must be an integer ≥ 0, got ${maxTables}`);
  }
  return Math.min(maxTables, CARD_TABLE_LIMIT);
}
