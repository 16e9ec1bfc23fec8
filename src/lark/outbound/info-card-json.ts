import type { InfoCard, InfoFormField } from "../../messages/info-card.js";
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
  if (card.form) elements.push(formElement(card.form));
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

/**
 * A card form (JSON 2.0 `form`): a labelled input or drop-down per field and a submit button;
 * Lark sends the values in the press as `form_value`, keyed by each field's `name`.
 */
function formElement(form: NonNullable<InfoCard["form"]>): CardElement {
  const submit = button(
    form.submit.label,
    form.submit.action,
    STYLES[form.submit.style ?? "primary"],
  );
  return {
    tag: "form",
    name: "larkgate_form",
    elements: [
      ...form.fields.flatMap(fieldElements),
      {
        ...(submit as unknown as Record<string, unknown>),
        name: "submit",
        form_action_type: "submit",
      },
    ],
  } as unknown as CardElement;
}

function fieldElements(field: InfoFormField): unknown[] {
  const label = { tag: "markdown", content: `**${field.label}**${field.required ? " *" : ""}` };
  const placeholder = field.placeholder
    ? { placeholder: { tag: "plain_text", content: field.placeholder } }
    : {};
  if (field.type === "select") {
    return [
      label,
      {
        tag: "select_static",
        name: field.name,
        required: field.required,
        ...placeholder,
        ...(field.defaultValue ? { initial_option: field.defaultValue } : {}),
        options: (field.options ?? []).map((option) => ({
          text: { tag: "plain_text", content: option },
          value: option,
        })),
      },
    ];
  }
  return [
    label,
    {
      tag: "input",
      name: field.name,
      required: field.required,
      ...placeholder,
      ...(field.defaultValue ? { default_value: field.defaultValue } : {}),
      ...(field.type === "textarea" ? { input_type: "multiline_text", rows: 3 } : {}),
    },
  ];
}
