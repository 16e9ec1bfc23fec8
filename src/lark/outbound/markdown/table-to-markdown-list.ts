import type { Tokens } from "marked";
import { inlineToMarkdown, inlineToPlainText } from "./inline-to-markdown.js";

/**
 * A GFM table as a numbered list, for places where a native table is impossible (posts, quotes,
 * list items, tables beyond the per-card limit). Raw pipe markup is unreadable on a phone; one
 * numbered entry per row, labelled by its first column, with the other columns nested under it,
 * reads well at any width and keeps every cell:
 *
 * ```
 * 1. **Model**: GPT-4o
 *     - **Context**: 128K
 *     - **Price**: $5
 * ```
 */
export function tableToMarkdownList(table: Tokens.Table): string {
  const headers = table.header.map((cell) => oneLine(inlineToPlainText(cell.tokens)));
  const label = (column: number): string => {
    const header = headers[column];
    return header ? `**${header}**: ` : "";
  };
  if (table.rows.length === 0) {
    return headers
      .filter((header) => header !== "")
      .map((header) => `- **${header}**`)
      .join("\n");
  }
  return table.rows
    .map((row, rowIndex) => {
      const cells = headers.map((_, column) => oneLine(inlineToMarkdown(row[column]?.tokens)));
      const lines = [`${rowIndex + 1}. ${label(0)}${cells[0] || "—"}`];
      for (let column = 1; column < cells.length; column++) {
        const cell = cells[column];
        if (cell) lines.push(`    - ${label(column)}${cell}`);
      }
      return lines.join("\n");
    })
    .join("\n");
}

/** A cell must stay on its list line; `<br>` inside a cell becomes a space here. */
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}
