export { CARD_SIZE_LIMIT_BYTES, cardBodySize } from "./card-body-size.js";
export type {
  ButtonElement,
  CardElement,
  CollapsiblePanelElement,
  ColumnSetElement,
  HorizontalAlign,
  HrElement,
  MarkdownElement,
  TableColumn,
  TableElement,
} from "./card-element.js";
export { markdownToPostContent, type PostContent } from "./markdown-to-post-content.js";
export {
  CARD_TABLE_LIMIT,
  EMPTY_MARKDOWN_CONTENT,
  type RenderCardBodyOptions,
  renderCardBody,
} from "./render-card-body.js";
export { splitMarkdown } from "./split-markdown.js";
export { streamingSafeMarkdown } from "./streaming-safe-markdown.js";
