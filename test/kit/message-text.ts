import { cardText } from "./fake-lark-card-json.js";
import type { FakeMessage } from "./fake-lark-types.js";

/**
 * What a user would read in a message the bot sent: the text of a text message, the title and
 * paragraphs of a post, the markdown/plain_text (and table cells) of a card — for a CardKit card,
 * its current streamed contents.
 */
export function messageText(m: FakeMessage): string {
  const content = m.content as Record<string, unknown> | undefined;
  switch (m.msgType) {
    case "text":
      return typeof content?.text === "string" ? content.text : "";
    case "post":
      return postText(content);
    case "interactive":
      if (m.card) return cardText(m.card.json);
      if (content?.type === "template" || content?.type === "card") return "";
      return cardText(content);
    default:
      return "";
  }
}

/** Accepts both the send format (`{zh_cn: {title, content}}`) and the locale-less one. */
function postText(content: Record<string, unknown> | undefined): string {
  if (!content) return "";
  const body = (Array.isArray(content.content) ? content : Object.values(content).find(isRecord)) as
    | Record<string, unknown>
    | undefined;
  if (!body) return "";
  const lines: string[] = [];
  if (typeof body.title === "string" && body.title) lines.push(body.title);
  const paragraphs = Array.isArray(body.content) ? body.content : [];
  for (const paragraph of paragraphs) {
    if (!Array.isArray(paragraph)) continue;
    lines.push(paragraph.map(nodeText).join(""));
  }
  return lines.join("\n");
}

function nodeText(node: unknown): string {
  if (!isRecord(node)) return "";
  if (typeof node.text === "string") return node.text;
  if (node.tag === "at") return `@${String(node.user_name ?? node.user_id ?? "")}`;
  return "";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
