import { LarkFault } from "./fake-lark-state.js";

/**
 * Card JSON inspection shared by CardKit and interactive messages: element ids, text of the
 * streaming-capable components, the table limit, and the visible text for assertions.
 */

/** Limits from docs/lark-notes.md#size-limits; the table limit is what the brief pins (observed: 3–5). */
export const CARD_MAX_BYTES = 30 * 1024;
export const CARD_MAX_TABLES = 5;
export const CARD_MAX_ELEMENTS = 200;

/** Components whose text CardKit can stream into. `div` carries its text under `text.content`. */
const TEXT_TAGS = new Set(["markdown", "plain_text", "div"]);

export interface CardInspection {
  elements: Map<string, string>;
  elementTags: Map<string, string>;
  tables: number;
  components: number;
  duplicateId?: string;
}

type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Visits every object with a `tag` in document order; return false to skip its children. */
function walk(value: unknown, visit: (node: Node) => boolean | undefined): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, visit);
    return;
  }
  if (!isNode(value)) return;
  if (typeof value.tag === "string" && visit(value) === false) return;
  for (const child of Object.values(value)) walk(child, visit);
}

function nodeText(node: Node): string {
  if (typeof node.content === "string") return node.content;
  const text = node.text;
  if (isNode(text) && typeof text.content === "string") return text.content;
  return "";
}

export function inspectCard(json: unknown): CardInspection {
  const result: CardInspection = {
    elements: new Map(),
    elementTags: new Map(),
    tables: 0,
    components: 0,
  };
  walk(json, (node) => {
    const tag = node.tag as string;
    if (tag === "table") result.tables += 1;
    // Text objects nested in a component (`text: {tag: "plain_text"}`) are not components.
    if (typeof node.element_id === "string" || !["plain_text", "lark_md"].includes(tag)) {
      result.components += 1;
    }
    if (typeof node.element_id === "string") {
      if (result.elements.has(node.element_id)) result.duplicateId ??= node.element_id;
      result.elements.set(node.element_id, nodeText(node));
      result.elementTags.set(node.element_id, tag);
    }
    return undefined;
  });
  return result;
}

/** The `img_key` of every `img` component, in document order. */
export function cardImageKeys(json: unknown): string[] {
  const keys: string[] = [];
  walk(json, (node) => {
    if (node.tag === "img" && typeof node.img_key === "string") keys.push(node.img_key);
    return undefined;
  });
  return keys;
}

/** Lark's answer when a card has more tables than a card may hold (230099 + sub-code 11310). */
export function assertTableLimit(inspection: CardInspection): void {
  if (inspection.tables > CARD_MAX_TABLES) {
    throw new LarkFault(
      230099,
      `Failed to create card content, ext=ErrCode: 11310; ErrMsg: card table number over limit; ErrorValue: table(${inspection.tables}); `,
    );
  }
}

/** Parses and validates a CardKit `card_json` string the way `POST /cardkit/v1/cards` does. */
export function parseCardEntity(data: unknown): { json: Node; inspection: CardInspection } {
  if (typeof data !== "string" || data.length === 0) {
    throw new LarkFault(300307, "card DSL is empty: data must be the card JSON as a string");
  }
  if (Buffer.byteLength(data, "utf8") > CARD_MAX_BYTES) {
    throw new LarkFault(200860, "card content exceeds the 30 KB limit");
  }
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    throw new LarkFault(10002, "invalid card JSON: data does not parse");
  }
  if (!isNode(json)) throw new LarkFault(10002, "invalid card JSON: expected an object");
  if (json.schema !== "2.0") {
    throw new LarkFault(300303, 'CardKit accepts card JSON 2.0 only: set "schema": "2.0"');
  }
  const config = json.config;
  if (isNode(config) && config.update_multi === false) {
    throw new LarkFault(300302, "update_multi false is not allowed for card entities");
  }
  const inspection = inspectCard(json);
  if (inspection.duplicateId) {
    throw new LarkFault(300301, `duplicate element_id: ${inspection.duplicateId}`);
  }
  if (inspection.components > CARD_MAX_ELEMENTS) {
    throw new LarkFault(300305, `card has more than ${CARD_MAX_ELEMENTS} components`);
  }
  assertTableLimit(inspection);
  return { json, inspection };
}

/** Writes streamed text into the card JSON so the stored card always shows what users see. */
export function setElementContent(json: unknown, elementId: string, content: string): void {
  walk(json, (node) => {
    if (node.element_id !== elementId) return undefined;
    if (node.tag === "div" && isNode(node.text)) node.text.content = content;
    else node.content = content;
    return false;
  });
}

export function isStreamableTag(tag: string | undefined): boolean {
  return tag !== undefined && TEXT_TAGS.has(tag);
}

/** Visible text of a card: header and markdown/plain_text contents, then table cells. */
export function cardText(json: unknown): string {
  const parts: string[] = [];
  walk(json, (node) => {
    const tag = node.tag;
    if (tag === "table") {
      parts.push(...tableLines(node));
      return false;
    }
    if ((tag === "markdown" || tag === "plain_text" || tag === "lark_md") && node.content) {
      parts.push(String(node.content));
    }
    return undefined;
  });
  return parts.join("\n");
}

function tableLines(table: Node): string[] {
  const columns = Array.isArray(table.columns) ? table.columns.filter(isNode) : [];
  const rows = Array.isArray(table.rows) ? table.rows.filter(isNode) : [];
  const names = columns.map((c) => String(c.name ?? ""));
  const header = columns.map((c) => String(c.display_name ?? c.name ?? ""));
  const lines = header.length > 0 ? [header.join(" | ")] : [];
  for (const row of rows) lines.push(names.map((name) => cellText(row[name])).join(" | "));
  return lines;
}

function cellText(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (Array.isArray(value)) return value.map(cellText).join(", ");
  if (isNode(value)) return cellText(value.text ?? value.content ?? value.name ?? "");
  return String(value);
}
