import type { Token, Tokens } from "marked";
import { inlineToMarkdown } from "./inline-to-markdown.js";
import type { PictureLookup } from "./picture-lookup.js";
import { tableToMarkdownList } from "./table-to-markdown-list.js";

/** What the target markdown dialect can show; everything else is rewritten. */
export interface MarkdownFlavor {
  /** Deepest heading kept as `#…`; deeper ones become a bold line (0: no headings at all). */
  maxHeadingDepth: number;
  /** Pictures uploaded to Lark, shown by key (cards only; posts keep images as links). */
  pictures?: PictureLookup;
}

/** Card JSON 2.0 markdown renders `#` headings, but h5/h6 look like body text there. */
export const CARD_FLAVOR: MarkdownFlavor = { maxHeadingDepth: 4 };
/** Post `md` has no headings (docs/lark-notes.md#post-md-syntax). */
export const POST_FLAVOR: MarkdownFlavor = { maxHeadingDepth: 0 };

/** Lark nests lists by exactly 4 spaces (docs/lark-notes.md#list-nesting). */
const NEST = "    ";
const SCRIPT_OR_STYLE = /<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
const HTML_COMMENT = /<!--[\s\S]*?(?:-->|$)/g;
const BR_TAG = /<br\s*\/?>/gi;
const ANY_TAG = /<\/?[A-Za-z][^>]*>/g;

/** Block tokens to Lark markdown, blocks separated by a blank line (or `separator`). */
export function blocksToMarkdown(
  tokens: Token[],
  flavor: MarkdownFlavor,
  separator = "\n\n",
): string {
  const parts: string[] = [];
  for (const token of tokens) {
    const markdown = blockToMarkdown(token, flavor);
    if (markdown.trim() !== "") parts.push(markdown);
  }
  return parts.join(separator);
}

/**
 * One block token to Lark markdown. Tables here always use the readable list form: a native
 * table component cannot sit inside a list, a quote or a post.
 */
export function blockToMarkdown(token: Token, flavor: MarkdownFlavor): string {
  switch (token.type) {
    case "space":
    case "def":
    case "checkbox":
      return "";
    case "heading":
      return headingToMarkdown(token as Tokens.Heading, flavor);
    case "paragraph":
      return inlineToMarkdown(token.tokens, { pictures: flavor.pictures });
    case "text":
      return token.tokens
        ? inlineToMarkdown(token.tokens, { pictures: flavor.pictures })
        : token.raw;
    case "code":
      return codeToMarkdown(token as Tokens.Code);
    case "list":
      return listToMarkdown(token as Tokens.List, flavor);
    case "blockquote":
      return blocksToMarkdown(token.tokens ?? [], flavor)
        .split("\n")
        .map((line) => (line === "" ? ">" : `> ${line}`))
        .join("\n");
    case "hr":
      return "---";
    case "html":
      return htmlBlockToText(token.raw);
    case "table":
      return tableToMarkdownList(token as Tokens.Table);
    default:
      return token.raw.trim();
  }
}

function headingToMarkdown(heading: Tokens.Heading, flavor: MarkdownFlavor): string {
  const keep = heading.depth <= flavor.maxHeadingDepth;
  const text = inlineToMarkdown(heading.tokens, { inStrong: !keep, pictures: flavor.pictures })
    .replace(/\s*\n\s*/g, " ")
    .trim();
  if (text === "") return "";
  return keep ? `${"#".repeat(heading.depth)} ${text}` : `**${text}**`;
}

function codeToMarkdown(code: Tokens.Code): string {
  const lang = code.codeBlockStyle === "indented" ? "" : (code.lang ?? "").trim().split(/\s+/)[0];
  // A fence must be longer than any backtick run inside, or that run would close it.
  const longestRun = Math.max(0, ...(code.text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longestRun + 1));
  return `${fence}${lang ?? ""}\n${code.text}\n${fence}`;
}

function listToMarkdown(list: Tokens.List, flavor: MarkdownFlavor): string {
  const start = typeof list.start === "number" ? list.start : 1;
  const items = list.items.map((item, index) => {
    const marker = list.ordered ? `${start + index}. ` : "- ";
    const checkbox = item.task ? (item.checked ? "☑ " : "☐ ") : "";
    const body = blocksToMarkdown(item.tokens, flavor, item.loose ? "\n\n" : "\n");
    const [first = "", ...rest] = body.split("\n");
    const nested = rest.map((line) => (line === "" ? "" : `${NEST}${line}`));
    return [`${marker}${checkbox}${first}`.trimEnd(), ...nested].join("\n");
  });
  return items.join(list.loose ? "\n\n" : "\n");
}

/**
 * Lark card markdown does not render HTML blocks and would show the tags as text, so keep only
 * what a reader would have seen: text content, `<br>` as line breaks; comments, scripts and
 * styles dropped.
 */
function htmlBlockToText(html: string): string {
  return html
    .replace(HTML_COMMENT, "")
    .replace(SCRIPT_OR_STYLE, "")
    .replace(BR_TAG, "\n")
    .replace(ANY_TAG, "")
    .split("\n")
    .map((line) => line.trim())
    .filter((line, index, lines) => line !== "" || (index > 0 && lines[index - 1] !== ""))
    .join("\n")
    .trim();
}
