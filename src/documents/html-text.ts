import { decodeEntities } from "./xml-text.js";

/**
 * The readable text of an HTML page: scripts, styles and comments dropped, block elements on
 * their own lines, links as `text (href)`, entities decoded. Not a browser: it is for a page a
 * person saved and sent, where the words are what matters.
 */
export function htmlText(html: string): string {
  return decodeEntities(
    html
      .replace(/<!--[\s\S]*?-->/g, "")
      .replace(/<(script|style|noscript|template|svg)\b[\s\S]*?<\/\1\s*>/gi, "")
      .replace(
        /<a\b[^>]*\bhref="([^"]*)"[^>]*>([\s\S]*?)<\/a\s*>/gi,
        (_, href: string, text: string) => {
          const words = text.replace(/<[^>]*>/g, "").trim();
          return words && href && !href.startsWith("#") && words !== href
            ? `${words} (${href})`
            : words;
        },
      )
      .replace(/<(br|hr)\b[^>]*>/gi, "\n")
      .replace(
        /<\/?(p|div|section|article|header|footer|li|ul|ol|tr|table|h[1-6]|pre|blockquote)\b[^>]*>/gi,
        "\n",
      )
      .replace(/<\/t[dh]\s*>/gi, " | ")
      .replace(/<[^>]*>/g, ""),
  )
    .replace(/[ \t\u00a0]+/g, " ")
    .replace(/ *\n[ \n]*/g, "\n")
    .trim();
}
