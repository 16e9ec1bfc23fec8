import type { Token, Tokens } from "marked";
import type { PictureLookup } from "./picture-lookup.js";

export interface InlineContext {
  /** Inside a link's text: nested links and images collapse to their text. */
  inLink?: boolean;
  /** Already inside bold: nested `**` would close the outer bold early, so it is dropped. */
  inStrong?: boolean;
  /** Pictures of the answer already uploaded to Lark are shown by their image key. */
  pictures?: PictureLookup;
}

const LINE_BREAK_TAG = /^<br\s*\/?>$/i;

/**
 * A link target Lark may open, or `undefined`. Lark card links must be http/https; anything else
 * (`javascript:`, `file:`, `mailto:`, relative paths) is shown as plain text instead. Spaces and
 * parentheses are percent-encoded because they end a markdown link destination early.
 */
export function safeHref(href: string): string | undefined {
  const trimmed = href.trim();
  if (!/^https?:\/\/[^\s/?#]+/i.test(trimmed)) return undefined;
  return trimmed.replace(/ /g, "%20").replace(/\(/g, "%28").replace(/\)/g, "%29");
}

/**
 * Inline tokens back to the markdown subset Lark renders: `**bold**`, `*italic*`, `~~strike~~`
 * (GFM's single `~x~` would mean underline in a post), inline code, http(s) links. An image the
 * answer's pictures hold (`context.pictures`) is shown by its image key; any other http(s) image
 * becomes a link, any other image its alt text. Inline HTML is
 * removed (keeping the text between tags) except `<br>`, which becomes a line break; this also
 * stops model output from smuggling Lark tags such as `<at id=all></at>` into a card.
 *
 * @example inlineToMarkdown(lexBlocks("see [docs](https://x.dev)")[0].tokens) // "see [docs](https://x.dev)"
 */
export function inlineToMarkdown(tokens: Token[] | undefined, context: InlineContext = {}): string {
  let out = "";
  for (const token of tokens ?? []) out += inlineTokenToMarkdown(token, context);
  return out;
}

function inlineTokenToMarkdown(token: Token, context: InlineContext): string {
  switch (token.type) {
    case "text":
      return token.tokens ? inlineToMarkdown(token.tokens, context) : token.raw;
    case "escape":
    case "codespan":
      return token.raw;
    case "strong": {
      const inner = inlineToMarkdown(token.tokens, { ...context, inStrong: true });
      return context.inStrong ? inner : `**${inner}**`;
    }
    case "em":
      return `*${inlineToMarkdown(token.tokens, context)}*`;
    case "del":
      return `~~${inlineToMarkdown(token.tokens, context)}~~`;
    case "br":
      return "\n";
    case "html":
      return LINE_BREAK_TAG.test(token.raw.trim()) ? "\n" : "";
    case "checkbox":
      return token.checked ? "☑ " : "☐ ";
    case "link": {
      const label = inlineToMarkdown(token.tokens, { ...context, inLink: true });
      const href = safeHref(token.href);
      if (context.inLink || href === undefined) return label;
      return `[${label.trim() === "" ? href : label}](${href})`;
    }
    case "image": {
      const alt = token.text.trim();
      const picture = context.inLink ? undefined : context.pictures?.(token.href);
      // Card markdown shows an uploaded image inline by its key (card-json-v2 rich-text docs).
      if (picture?.state === "shown") return `![${pictureAlt(alt)}](${picture.imageKey})`;
      const href = safeHref(token.href);
      if (context.inLink || href === undefined) return alt;
      return `[🖼 ${alt === "" ? "image" : alt}](${href})`;
    }
    default:
      return typeof token.raw === "string" ? token.raw : "";
  }
}

/** Alt text safe inside `![…]`: brackets would end it early, line breaks would end the image. */
export function pictureAlt(alt: string): string {
  return alt
    .replace(/[[\]\\]/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * Inline tokens as plain text (no markup), for places that are not rendered as markdown, such
 * as a table column header.
 */
export function inlineToPlainText(tokens: Token[] | undefined): string {
  let out = "";
  for (const token of tokens ?? []) {
    switch (token.type) {
      case "escape":
      case "codespan":
        out += token.text;
        break;
      case "br":
        out += " ";
        break;
      case "html":
        out += LINE_BREAK_TAG.test(token.raw.trim()) ? " " : "";
        break;
      case "image":
        out += token.text;
        break;
      default: {
        const generic = token as Tokens.Generic;
        if (generic.tokens) out += inlineToPlainText(generic.tokens);
        else out += typeof generic.text === "string" ? generic.text : generic.raw;
      }
    }
  }
  return out;
}
