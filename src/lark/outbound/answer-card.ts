import type { Translate } from "../../i18n/translate.js";
import type { AnswerFinal, Citation } from "../../messages/answer.js";
import { encodeToolbarValue, type ToolbarAction } from "../../messages/toolbar-action.js";
import type { CardElement } from "./markdown/card-element.js";
import type { PictureLookup } from "./markdown/picture-lookup.js";
import { renderCardBody } from "./markdown/render-card-body.js";

/** The element CardKit streams into; ≤ 20 chars, letter first (CardKit element_id rule). */
export const STREAM_ELEMENT_ID = "answer_md";

export interface AnswerCardOptions {
  /** The bot's language, for the buttons and the card's own words. */
  t: Translate;
  /** Show model · time · tokens under the answer. */
  footer: boolean;
  /** Native table components allowed (Lark: at most 5 per card; 0 renders tables as lists). */
  maxTables?: number;
  /** This card is not the last one of a long answer: no footer, toolbar or reasoning. */
  continued?: boolean;
  /** Buttons; absent means no toolbar. */
  toolbar?: ToolbarOptions;
  /** The answer's pictures: uploaded ones are shown as images, the rest stay links. */
  pictures?: PictureLookup;
}

export interface ToolbarOptions {
  messageId: string;
  conversationKey: string;
  streaming: boolean;
}

/** The summary shown in the chat list instead of "[生成中…]" (CardKit `config.summary`). */
export function answerSummary(text: string): string {
  const flat = text
    .replace(/!\[([^\]\n]*)\]\([^)\n]*\)/g, "🖼 $1")
    .replace(/[#>*_`|~[\]()-]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return flat.length > 50 ? `${flat.slice(0, 49)}…` : flat || "…";
}

/**
 * The words of a voice question as the answer's first line: a quote on one line, its tags
 * neutralised (Lark card markdown reads `<at …>` and `<font …>`).
 */
export function heardLine(heard: string): string {
  const text = heard.replace(/\s+/g, " ").trim().replace(/</g, "＜").replace(/>/g, "＞");
  return `> 🎤 ${text}`;
}

export function button(
  label: string,
  action: ToolbarAction,
  type: "default" | "primary" | "danger" | "primary_text" | "danger_text" = "default",
): CardElement {
  return {
    tag: "button",
    text: { tag: "plain_text", content: label },
    type,
    size: "small",
    // Lark hands `value` back untouched in card.action.trigger.
    behaviors: [{ type: "callback", value: encodeToolbarValue(action) }],
  } as unknown as CardElement;
}

export function toolbarElement(options: ToolbarOptions, t: Translate): CardElement {
  const base = { messageId: options.messageId, conversationKey: options.conversationKey };
  const buttons = options.streaming
    ? [button(t("card.stop"), { action: "stop", ...base }, "danger_text")]
    : [
        button(t("card.regenerate"), { action: "regenerate", ...base }),
        button(t("card.new_chat"), { action: "new_chat", ...base }),
      ];
  return {
    tag: "column_set",
    flex_mode: "none",
    horizontal_spacing: "8px",
    columns: buttons.map((b) => ({ tag: "column", width: "auto", elements: [b] })),
  } as unknown as CardElement;
}

function reasoningPanel(reasoning: string, t: Translate): CardElement {
  return {
    tag: "collapsible_panel",
    expanded: false,
    header: { title: { tag: "markdown", content: t("card.reasoning") } },
    elements: [{ tag: "markdown", content: reasoning.trim(), text_size: "notation" }],
  };
}

function citationsPanel(citations: Citation[], t: Translate): CardElement {
  const lines = citations.map((c, i) => {
    const title = c.url && /^https?:\/\//.test(c.url) ? `[${c.title}](${c.url})` : c.title;
    return `${i + 1}. ${title}${c.snippet ? `\n    ${c.snippet.replace(/\s+/g, " ").slice(0, 200)}` : ""}`;
  });
  return {
    tag: "collapsible_panel",
    expanded: false,
    header: { title: { tag: "markdown", content: t("card.sources", { count: citations.length }) } },
    elements: [{ tag: "markdown", content: lines.join("\n"), text_size: "notation" }],
  };
}

export function footerLine(
  final: Pick<AnswerFinal, "model" | "elapsedMs" | "totalTokens" | "status">,
  t: Translate,
): string {
  const parts = [final.model, `${(final.elapsedMs / 1000).toFixed(1)}s`];
  if (final.totalTokens) parts.push(t("card.footer_tokens", { count: final.totalTokens }));
  if (final.status === "stopped") parts.push(t("card.footer_stopped"));
  return parts.join(" · ");
}

/**
 * The finished answer as a card JSON 2.0: collapsed reasoning, the rendered answer (native
 * tables), collapsed sources, the error line, the footer and the toolbar.
 * `bodyElements` lets a rolled-over answer pass its own part of the text.
 */
export function buildAnswerCard(
  final: AnswerFinal,
  options: AnswerCardOptions,
  text: string = final.text,
): Record<string, unknown> {
  const elements: CardElement[] = [];
  if (options.continued) {
    elements.push(...renderCardBody(text, body(options)));
    elements.push({ tag: "markdown", content: options.t("card.continued"), text_size: "notation" });
    return {
      schema: "2.0",
      config: { update_multi: true, summary: { content: answerSummary(text) } },
      body: { elements },
    };
  }
  const { t } = options;
  if (final.reasoning.trim()) elements.push(reasoningPanel(final.reasoning, t));
  if (text.trim()) elements.push(...renderCardBody(text, body(options)));
  // Files follow the card as messages of their own; the card says so, and is never empty.
  if (final.files?.length) {
    const names = final.files.map((file) => file.name).join(", ");
    elements.push({ tag: "markdown", content: t("card.files_below", { names }) });
  }
  if (final.status === "stopped") {
    elements.push({ tag: "markdown", content: t("card.stopped"), text_size: "notation" });
  }
  if (final.errorNotice) elements.push({ tag: "markdown", content: `⚠️ ${final.errorNotice}` });
  if (final.citations.length > 0) elements.push(citationsPanel(final.citations, t));
  if (options.footer) {
    elements.push({ tag: "markdown", content: footerLine(final, t), text_size: "notation" });
  }
  if (options.toolbar) elements.push(toolbarElement(options.toolbar, t));
  return {
    schema: "2.0",
    config: {
      update_multi: true,
      summary: { content: answerSummary(final.errorNotice && !text ? final.errorNotice : text) },
    },
    body: { elements },
  };
}

function body(options: AnswerCardOptions) {
  return {
    ...(options.maxTables !== undefined ? { maxTables: options.maxTables } : {}),
    ...(options.pictures ? { pictures: options.pictures } : {}),
  };
}
