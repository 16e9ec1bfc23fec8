import { closesFence, type OpenFence, openingFence } from "./fence-line.js";

/** A list item line: indentation, marker, the spaces after it. Content follows. */
const LIST_ITEM = /^( *)([-*+]|\d{1,9}[.)])( +|$)/;

interface OpenItem {
  /** Indentation as the model wrote it. */
  written: number;
  /** Column where the model's content started. */
  writtenContent: number;
  /** Column where this item's content starts once re-indented. */
  contentColumn: number;
}

/**
 * Re-indent nested lists the way the model meant them. Models indent sub-items by 2 spaces
 * even under `1.` items, where CommonMark needs 3: "1. Step\n  - detail" is read as a second,
 * separate list, and the nesting the user should see is lost. Here a list item indented deeper
 * than the previous one is its child, and every line of a list is moved to the column
 * CommonMark needs for that nesting. Only leading spaces change; fenced code inside an item
 * moves with its fence, and lines outside lists are left alone.
 */
export function normalizeListIndent(markdown: string): string {
  const lines = markdown.split("\n");
  const stack: OpenItem[] = [];
  let fence: { open: OpenFence; shift: number } | undefined;

  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? "";
    if (fence !== undefined) {
      lines[index] = shiftLine(line, fence.shift);
      if (closesFence(line, fence.open)) fence = undefined;
      continue;
    }
    if (line.trim() === "") continue;
    const written = leadingSpaces(line);
    const item = LIST_ITEM.exec(line);

    // At the margin, 4+ spaces start an indented code block, not a list.
    if (item && (stack.length > 0 || written < 4)) {
      while (stack.length > 0 && written <= (stack.at(-1)?.written ?? 0)) stack.pop();
      const indent = stack.at(-1)?.contentColumn ?? Math.min(written, 3);
      const [, , marker = "", gap = ""] = item;
      // CommonMark: 5+ spaces after the marker mean 1 space plus indented code.
      const gapWidth = gap.length === 0 || gap.length > 4 ? 1 : gap.length;
      const width = marker.length + gapWidth;
      stack.push({ written, writtenContent: written + width, contentColumn: indent + width });
      lines[index] = " ".repeat(indent) + line.slice(written);
      const fenceInItem = openingFence(line.slice(written + width));
      if (fenceInItem !== undefined) fence = { open: fenceInItem, shift: indent - written };
      continue;
    }

    if (written === 0) {
      stack.length = 0; // ordinary text at the margin: the list is over
    } else if (stack.length > 0) {
      const owner = [...stack].reverse().find((open) => open.written < written);
      if (owner !== undefined) {
        // Keep indentation relative to the item (code inside it), but never left of its content.
        const shift = owner.contentColumn - owner.writtenContent;
        lines[index] = shiftLine(line, Math.max(owner.contentColumn, written + shift) - written);
      }
    }
    const opened = openingFence(line);
    if (opened !== undefined)
      fence = { open: opened, shift: leadingSpaces(lines[index] ?? "") - written };
  }
  return lines.join("\n");
}

function leadingSpaces(line: string): number {
  return /^ */.exec(line)?.[0].length ?? 0;
}

/** Move a line right (`shift` > 0) or left, removing at most the spaces it has. */
function shiftLine(line: string, shift: number): string {
  if (shift >= 0) return line === "" ? line : " ".repeat(shift) + line;
  return line.slice(Math.min(-shift, leadingSpaces(line)));
}
