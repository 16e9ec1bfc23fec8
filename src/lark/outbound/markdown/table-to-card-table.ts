import type { Tokens } from "marked";
import type { TableColumn, TableElement } from "./card-element.js";
import { inlineToMarkdown, inlineToPlainText } from "./inline-to-markdown.js";

/** The table component shows at most 50 columns; more are silently cut (table component doc). */
export const MAX_TABLE_COLUMNS = 50;
/** `page_size` accepts [1, 10]; 10 shows typical LLM tables on one page without paging. */
const PAGE_SIZE = 10;

/** Whether a GFM table fits the native card table component without losing columns. */
export function fitsCardTable(table: Tokens.Table): boolean {
  return table.header.length > 0 && table.header.length <= MAX_TABLE_COLUMNS;
}

/**
 * A GFM table as a card JSON 2.0 `table` component. Columns are named `c0`, `c1`, …; headers
 * become plain display names, cells keep their inline markdown (`lark_md`), and the GFM
 * alignment row (`:--`, `:-:`, `--:`) sets each column's horizontal alignment.
 */
export function tableToCardTable(table: Tokens.Table): TableElement {
  const columns: TableColumn[] = table.header.map((cell, index) => ({
    name: `c${index}`,
    display_name: inlineToPlainText(cell.tokens).replace(/\s+/g, " ").trim(),
    data_type: "lark_md",
    width: "auto",
    horizontal_align: table.align[index] ?? "left",
  }));
  const rows = table.rows.map((row) => {
    const values: Record<string, string> = {};
    columns.forEach((column, index) => {
      values[column.name] = inlineToMarkdown(row[index]?.tokens).trim();
    });
    return values;
  });
  return {
    tag: "table",
    page_size: PAGE_SIZE,
    row_height: "low",
    header_style: { bold: true, background_style: "grey" },
    columns,
    rows,
  };
}
