import { Marked, type Tokens } from "marked";
import { type CardElement, renderCardBody } from "../lark/outbound/markdown/index.js";
import { escapeHtml } from "./html.js";

/** Links that may be followed from the console; anything else (javascript:…) shows as text. */
const SAFE_URL = /^(https?:|mailto:|#|\/)/i;

// Raw HTML in an answer is shown as text, as Lark shows it: a model cannot inject markup.
const marked = new Marked({
  gfm: true,
  breaks: true,
  renderer: {
    html: ({ text }: Tokens.HTML | Tokens.Tag) => escapeHtml(text),
    link({ href, title, tokens }: Tokens.Link) {
      const label = this.parser.parseInline(tokens);
      if (!SAFE_URL.test(href)) return label;
      const titled = title ? ` title="${escapeHtml(title)}"` : "";
      return `<a href="${escapeHtml(href)}"${titled} rel="noreferrer noopener" target="_blank">${label}</a>`;
    },
    image({ href, text }: Tokens.Image) {
      // Lark shows images it uploaded itself; an outside URL stays a link, loading nothing.
      return SAFE_URL.test(href)
        ? `<a href="${escapeHtml(href)}" rel="noreferrer noopener">${escapeHtml(text || href)}</a>`
        : escapeHtml(text);
    },
  },
});

function markdownHtml(markdown: string): string {
  return marked.parse(markdown, { async: false });
}

function elementHtml(element: CardElement): string {
  switch (element.tag) {
    case "markdown":
      return `<div class="card-md">${markdownHtml(element.content)}</div>`;
    case "hr":
      return "<hr>";
    case "table": {
      const head = element.columns.map((c) => `<th>${escapeHtml(c.display_name)}</th>`).join("");
      const rows = element.rows
        .map(
          (row) =>
            `<tr>${element.columns.map((c) => `<td>${inlineHtml(row[c.name] ?? "")}</td>`).join("")}</tr>`,
        )
        .join("");
      return `<table class="card-table"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
    }
    case "img":
      // The picture itself is Lark's (an uploaded image key): the console says where it was.
      return `<p class="card-img">[${escapeHtml(element.alt.content || "picture")}]</p>`;
    case "collapsible_panel": {
      const title = escapeHtml(element.header.title.content);
      const body = element.elements.map(elementHtml).join("");
      return `<details class="card-panel"${element.expanded ? " open" : ""}><summary>${title}</summary>${body}</details>`;
    }
  }
}

function inlineHtml(text: string): string {
  return marked.parseInline(text, { async: false });
}

/**
 * An answer as Lark shows it: the same card body the gateway sends (markdown runs, tables,
 * collapsed panels), rendered to HTML for the console.
 */
export function answerCardHtml(markdown: string): string {
  if (markdown.trim() === "") return "";
  return renderCardBody(markdown).map(elementHtml).join("");
}
