import { isRecord } from "../../lark-envelope.js";

/**
 * Text forms of the message types a model cannot be given as they are, from their received
 * `content` (docs/lark-notes.md#message-content). Each says what it is in brackets, so the
 * model reads a shared contact or a location as such and not as words the person typed.
 */

/** `share_chat`: `{"chat_id":"oc_…"}`; only the id arrives, not the group's name. */
export function shareChatContent(content: Record<string, unknown>): string {
  return `[shared group card: ${text(content.chat_id) || "a group"}]`;
}

/** `share_user`: `{"user_id":"ou_…"}`; the contact's open_id. */
export function shareUserContent(content: Record<string, unknown>): string {
  return `[shared contact card: ${text(content.user_id) || "a person"}]`;
}

/** `location`: `{"name":"…","longitude":"…","latitude":"…"}`. */
export function locationContent(content: Record<string, unknown>): string {
  const name = text(content.name);
  const latitude = text(content.latitude);
  const longitude = text(content.longitude);
  const where = latitude && longitude ? `latitude ${latitude}, longitude ${longitude}` : "";
  return `[location: ${[name, where].filter(Boolean).join(", ") || "unknown"}]`;
}

/**
 * `todo` (a task): `{"task_id":"…","summary":{"title":"…","content":[[post nodes]]},
 * "due_time":"<ms>"}`.
 */
export function todoContent(content: Record<string, unknown>): string {
  const summary = isRecord(content.summary) ? content.summary : {};
  const lines = [text(summary.title), postPlainText(summary.content)].filter(Boolean);
  const due = timeOf(content.due_time);
  if (due) lines.push(`due ${due}`);
  return `[task]${lines.length > 0 ? `\n${lines.join("\n")}` : ""}`;
}

/**
 * `calendar`, `share_calendar_event`, `general_calendar`: `{"summary":"…","start_time":"<ms>",
 * "end_time":"<ms>"}`.
 */
export function calendarContent(content: Record<string, unknown>): string {
  const start = timeOf(content.start_time);
  const end = timeOf(content.end_time);
  const when = start && end ? `${start} – ${end}` : start;
  const parts = [text(content.summary), when].filter(Boolean);
  return `[calendar event${parts.length > 0 ? `: ${parts.join(", ")}` : ""}]`;
}

/** `media` (a video): `{"file_key":"…","image_key":"…","file_name":"x.mp4","duration":2000}`. */
export function videoContent(content: Record<string, unknown>): string {
  const name = text(content.file_name);
  const seconds =
    typeof content.duration === "number" && content.duration > 0
      ? `${Math.round(content.duration / 1000)} s`
      : "";
  const about = [name, seconds].filter(Boolean).join(", ");
  // No model here watches a video: it gets what the video is, so it can say so.
  return `[video${about ? `: ${about}` : ""}]`;
}

/**
 * `system` (someone joined, the group was renamed…): `{"template":"{from_user} invited
 * {to_chatters} to this chat","from_user":["Ana"],"to_chatters":["Bo"]}`, its placeholders
 * filled in.
 */
export function systemContent(content: Record<string, unknown>): string {
  const template = text(content.template);
  const filled = template.replace(/\{([a-z_]+)\}/g, (_whole, name: string) => {
    const value = content[name];
    if (Array.isArray(value)) return value.filter((v) => typeof v === "string").join(", ");
    return typeof value === "string" ? value : "";
  });
  return `[system message${filled.trim() ? `: ${filled.trim()}` : ""}]`;
}

/**
 * `interactive` (a card), in the simplified form messages are received in:
 * `{"title":"…","elements":[[{"tag":"text","text":"…"},{"tag":"button","text":"…"}…]…]}`.
 * Every text it carries, in order, one line per row; adjacent repeats dropped.
 */
export function cardContent(content: Record<string, unknown>): string {
  const lines: string[] = [];
  const title = typeof content.title === "string" ? content.title : titleText(content.header);
  if (title.trim()) lines.push(title.trim());
  const rows = Array.isArray(content.elements) ? content.elements : [];
  for (const row of rows) {
    const line = collectText(row).join(" ").replace(/\s+/g, " ").trim();
    if (line && line !== lines.at(-1)) lines.push(line);
  }
  return `[card]${lines.length > 0 ? `\n${lines.join("\n")}` : ""}`;
}

function titleText(header: unknown): string {
  if (!isRecord(header) || !isRecord(header.title)) return "";
  return text(header.title.content);
}

/** The texts of a card node and its children, depth first (bounded: cards nest a few levels). */
function collectText(node: unknown, depth = 0): string[] {
  if (depth > 8) return [];
  if (Array.isArray(node)) return node.flatMap((child) => collectText(child, depth + 1));
  if (!isRecord(node)) return [];
  const own: string[] = [];
  if (typeof node.text === "string") own.push(node.text);
  else if (isRecord(node.text)) own.push(text(node.text.content));
  if (typeof node.content === "string" && node.tag !== "img") own.push(node.content);
  if (node.tag === "a" && typeof node.href === "string" && node.href !== node.text) {
    own.push(`(${node.href})`);
  }
  for (const key of ["elements", "columns", "fields", "actions"]) {
    if (Array.isArray(node[key])) own.push(...collectText(node[key], depth + 1));
  }
  return own;
}

/** The text and links of post-style paragraphs (a task's description). */
function postPlainText(paragraphs: unknown): string {
  if (!Array.isArray(paragraphs)) return "";
  return paragraphs
    .filter(Array.isArray)
    .map((nodes: unknown[]) =>
      nodes
        .filter(isRecord)
        .map((node) => text(node.text))
        .join(""),
    )
    .filter(Boolean)
    .join("\n");
}

/** A time Lark gives in milliseconds (as a string or a number), in UTC. */
export function timeOf(value: unknown): string {
  const ms = typeof value === "string" ? Number(value) : value;
  if (typeof ms !== "number" || !Number.isFinite(ms) || ms <= 0) return "";
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function text(value: unknown): string {
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : "";
}
