/**
 * Card JSON 2.0 `body.elements` entries this gateway produces. Deliberately loose (plain data,
 * only the fields we set are typed) but discriminated on `tag`, so callers can narrow with
 * `element.tag === "table"`. Field names and ranges follow the Lark card JSON 2.0 component docs
 * (`card-json-v2-components/content-components/{rich-text,table}`).
 */
export type CardElement =
  | MarkdownElement
  | TableElement
  | HrElement
  | CollapsiblePanelElement
  | ImageElement;

export type HorizontalAlign = "left" | "center" | "right";

export interface MarkdownElement {
  tag: "markdown";
  content: string;
  /** Needed to stream into this element (CardKit): ≤20 chars, letter first, `[A-Za-z0-9_]`. */
  element_id?: string;
  text_align?: HorizontalAlign;
  text_size?: string;
}

export interface TableColumn {
  /** Key of this column's value in every row object. */
  name: string;
  /** Header text; an empty string shows no header for the column. */
  display_name: string;
  data_type: "lark_md" | "text" | "markdown" | "number" | "options" | "persons" | "date";
  /** `auto`, a pixel value like `120px`, or a percentage. */
  width: string;
  horizontal_align: HorizontalAlign;
  vertical_align?: "top" | "center" | "bottom";
}

export interface TableElement {
  tag: "table";
  element_id?: string;
  /** Rows shown per page, an integer in [1, 10]. */
  page_size: number;
  row_height: "low" | "middle" | "high" | "auto" | `${number}px`;
  freeze_first_column?: boolean;
  header_style: {
    bold?: boolean;
    background_style?: "grey" | "none";
    text_align?: HorizontalAlign;
    text_size?: string;
    text_color?: string;
    lines?: number;
  };
  columns: TableColumn[];
  rows: Array<Record<string, string>>;
}

/** `card-json-v2-components/content-components/image`: a picture this app uploaded. */
export interface ImageElement {
  tag: "img";
  element_id?: string;
  /** From `POST /im/v1/images`; another app's key is refused (230099, sub-code 200570). */
  img_key: string;
  /** Shown on hover; required by the component (may be empty). */
  alt: { tag: "plain_text"; content: string };
  /** `fit_horizontal` shows the whole picture at the card's width, uncropped. */
  scale_type?: "crop_center" | "crop_top" | "fit_horizontal";
  /** Click to enlarge (default true). */
  preview?: boolean;
}

export interface HrElement {
  tag: "hr";
  element_id?: string;
}

export interface CollapsiblePanelElement {
  tag: "collapsible_panel";
  element_id?: string;
  expanded?: boolean;
  header: { title: { tag: "markdown" | "plain_text"; content: string } };
  elements: CardElement[];
}

export interface ColumnSetElement {
  tag: "column_set";
  element_id?: string;
  flex_mode?: "none" | "stretch" | "flow" | "bisect" | "trisect";
  horizontal_spacing?: string;
  columns: Array<{
    tag: "column";
    width?: string;
    weight?: number;
    vertical_align?: "top" | "center" | "bottom";
    elements: CardElement[];
  }>;
}

export interface ButtonElement {
  tag: "button";
  element_id?: string;
  text: { tag: "plain_text" | "lark_md"; content: string };
  type?: string;
  size?: "tiny" | "small" | "medium" | "large";
  /** Card JSON 2.0 interactions, e.g. `{ type: "callback", value: {…} }`. */
  behaviors?: Array<Record<string, unknown>>;
}
