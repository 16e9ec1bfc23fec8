import type { InfoCard } from "../../messages/info-card.js";
import { button } from "./answer-card.js";
import type { CardElement } from "./markdown/card-element.js";

/** Lark's header colours (`header.template`) by what the card means. */
const TEMPLATES: Record<NonNullable<InfoCard["tone"]>, string> = {
  info: "blue",
  success: "green",
  warning: "orange",
  danger: "red",
};

const STYLES = { primary: "primary", danger: "danger", default: "default" } as const;

/** A command's card as card JSON 2.0: a coloured header, the markdown, rows of buttons. */
export function infoCardJson(card: InfoCard): Record<string, unknown> {
  const elements: CardElement[] = [];
  if (card.picture) {
    // An uploaded image_key; a click opens it full size.
    elements.push({
      tag: "img",
      img_key: card.picture.ref,
      alt: { tag: "plain_text", content: card.picture.alt },
      preview: true,
      scale_type: "fit_horizontal",
    } as unknown as CardElement);
  }
  if (card.body) elements.push({ tag: "markdown", content: card.body });
  for (const row of card.buttons ?? []) {
    elements.push({
      tag: "column_set",
      flex_mode: "flow",
      horizontal_spacing: "8px",
      columns: row.map((b) => ({
        tag: "column",
        width: "auto",
        elements: [button(b.label, b.action, STYLES[b.style ?? "default"])],
      })),
    } as unknown as CardElement);
  }
  return {
    schema: "2.0",
    config: { update_multi: true, summary: { content: card.title } },
    header: {
      title: { tag: "plain_text", content: card.title },
      template: TEMPLATES[card.tone ?? "info"],
    },
    body: { elements },
  };
}
