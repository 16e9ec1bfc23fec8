import { IMAGE_PLACEHOLDER } from "../../../messages/inbound-message.js";
import { isRecord } from "../../lark-envelope.js";
import { InboundError } from "../inbound-error.js";

/**
 * `post` (rich text) messages → plain text with light markdown (docs/lark-notes.md#message-content): the title
 * on its own line, one line per paragraph, links as `[text](href)`, mentions as their
 * `@_user_N` placeholder, code blocks fenced, emoji as `:SMILE:`, images as `[image]`, videos
 * as `[video]`. Accepts the receive format and the locale-wrapped send format (`{"zh_cn":{…}}`).
 */
export function postContent(content: Record<string, unknown>): string {
  const post = unwrapLocale(content);
  if (!post) throw new InboundError("post message content has no content array");
  const lines: string[] = [];
  if (typeof post.title === "string" && post.title.trim() !== "") lines.push(post.title.trim());
  for (const paragraph of post.content) {
    if (Array.isArray(paragraph)) lines.push(renderParagraph(paragraph));
  }
  return lines.join("\n").trim();
}

/** The `image_key`s of a post's `img` tags, in reading order (videos' covers are not images). */
export function postImageKeys(content: Record<string, unknown>): string[] {
  const keys: string[] = [];
  for (const paragraph of unwrapLocale(content)?.content ?? []) {
    if (!Array.isArray(paragraph)) continue;
    for (const node of paragraph) {
      if (isRecord(node) && node.tag === "img" && typeof node.image_key === "string") {
        if (node.image_key !== "") keys.push(node.image_key);
      }
    }
  }
  return keys;
}

interface PostBody {
  title?: unknown;
  content: unknown[];
}

function unwrapLocale(content: Record<string, unknown>): PostBody | undefined {
  if (Array.isArray(content.content)) return content as unknown as PostBody;
  // Older pushes wrap the locales once more in `post`.
  const locales = isRecord(content.post) ? content.post : content;
  for (const value of Object.values(locales)) {
    if (isRecord(value) && Array.isArray(value.content)) return value as unknown as PostBody;
  }
  return undefined;
}

function renderParagraph(nodes: unknown[]): string {
  let line = "";
  for (const node of nodes) {
    if (!isRecord(node)) continue;
    if (node.tag === "code_block") {
      // A fence only works at the start of a line.
      if (line !== "" && !line.endsWith("\n")) line += "\n";
      line += `${fence(node)}\n`;
      continue;
    }
    line += renderInline(node);
  }
  return line.replace(/\n$/, "");
}

function renderInline(node: Record<string, unknown>): string {
  const text = typeof node.text === "string" ? node.text : "";
  switch (node.tag) {
    case "a": {
      const href = typeof node.href === "string" ? node.href : "";
      if (href === "") return text;
      return text === "" || text === href ? href : `[${text}](${href})`;
    }
    case "at":
      return mention(node);
    case "emotion":
      return typeof node.emoji_type === "string" ? `:${node.emoji_type}:` : "";
    case "img":
      return IMAGE_PLACEHOLDER;
    case "media":
      // A video: no model here watches one, but the question may be about it.
      return "[video]";
    case "hr":
      return "---";
    default:
      // text, md (send format) and tags we do not know yet: keep whatever text they carry.
      return text;
  }
}

function mention(node: Record<string, unknown>): string {
  const userId = typeof node.user_id === "string" ? node.user_id : "";
  // On receive, user_id is the placeholder that `message.mentions` resolves.
  if (userId.startsWith("@_")) return userId;
  if (userId === "all") return "@_all";
  const name = typeof node.user_name === "string" ? node.user_name : "";
  return name === "" ? "" : `@${name}`;
}

function fence(node: Record<string, unknown>): string {
  const code = typeof node.text === "string" ? node.text.replace(/\n$/, "") : "";
  const language = typeof node.language === "string" ? node.language.toLowerCase() : "";
  // A fence longer than any backtick run inside keeps the block closed.
  const longestRun = Math.max(0, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = "`".repeat(Math.max(3, longestRun + 1));
  return `${ticks}${language}\n${code}\n${ticks}`;
}
