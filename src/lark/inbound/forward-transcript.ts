import {
  filePlaceholder,
  IMAGE_PLACEHOLDER,
  type InboundMention,
} from "../../messages/inbound-message.js";
import { messageText } from "../../messages/message-text.js";
import { isRecord } from "../lark-envelope.js";
import { timeOf } from "./content/plain-forms.js";
import { InboundError } from "./inbound-error.js";
import { contentAttachments, contentText, readMentions } from "./normalize-message.js";

/** Forwarded messages put in one transcript: Lark merges at most 100; the first ones count. */
const MAX_MESSAGES = 200;
/** Forwards inside forwards, followed this deep. */
const MAX_DEPTH = 5;

interface Item {
  id: string;
  upper?: string;
  type: string;
  content: string;
  time: number;
  sender: string;
  fromApp: boolean;
  mentions: InboundMention[];
}

/**
 * A forwarded chat (`merge_forward`) as a transcript the model can read: one line per message,
 * oldest first, each with its time and who sent it, forwards inside it indented. Built from
 * `GET /im/v1/messages/:id` of the forward, which answers the forward itself followed by the
 * messages in it, each pointing at the forward that holds it by `upper_message_id`.
 *
 * Senders are only ids there (names need the contact API and its scope), so people are named
 * `Person 1`, `Person 2`… in order of appearance, the same person the same name throughout.
 *
 * @example forwardTranscript(items, "om_fwd", botOpenId) // "[2024-05-01 09:30 UTC] Person 1: ship Friday?\n…"
 */
export function forwardTranscript(
  rawItems: readonly unknown[],
  forwardId: string,
  botOpenId: string | undefined,
): { transcript: string; messages: number } {
  const items = rawItems.flatMap(readItem).slice(0, MAX_MESSAGES + 1);
  const children = new Map<string, Item[]>();
  for (const item of items) {
    if (item.id === forwardId && !item.upper) continue;
    const parent = item.upper ?? forwardId;
    children.set(parent, [...(children.get(parent) ?? []), item]);
  }
  for (const list of children.values()) list.sort((a, b) => a.time - b.time);
  const people = new Map<string, string>();
  const nameOf = (item: Item) => {
    if (item.fromApp) return "Bot";
    let name = people.get(item.sender);
    if (!name) {
      name = `Person ${people.size + 1}`;
      people.set(item.sender, name);
    }
    return name;
  };
  let count = 0;
  const render = (parentId: string, depth: number): string[] => {
    const lines: string[] = [];
    for (const item of children.get(parentId) ?? []) {
      if (count >= MAX_MESSAGES) break;
      count++;
      const indent = "  ".repeat(depth);
      const head = `${indent}[${timeOf(item.time) || "time unknown"}] ${nameOf(item)}:`;
      if (item.type === "merge_forward") {
        lines.push(`${head} [forwarded chat]`);
        if (depth < MAX_DEPTH && item.id !== parentId) lines.push(...render(item.id, depth + 1));
        continue;
      }
      const body = itemText(item, botOpenId).split("\n").join(`\n${indent}  `);
      lines.push(`${head} ${body}`);
    }
    return lines;
  };
  const lines = render(forwardId, 0);
  if (items.length > MAX_MESSAGES) lines.push(`[… more messages not shown]`);
  return { transcript: lines.join("\n"), messages: count };
}

function itemText(item: Item, botOpenId: string | undefined): string {
  let text: string | undefined;
  try {
    text = contentText(item.type, item.content);
    const marks = contentAttachments(item.type, item.content, item.id).map((a) =>
      a.type === "image" ? IMAGE_PLACEHOLDER : a.type === "file" ? filePlaceholder(a.name) : "",
    );
    if (text !== undefined) {
      const words = messageText({ text, mentions: item.mentions }, botOpenId);
      const shown = [words, ...marks.filter((m) => m && !words.includes(m))].filter(Boolean);
      if (shown.length > 0) return shown.join(" ");
      if (item.type === "audio") return "[voice message]";
      if (item.type === "sticker") return "[sticker]";
    }
  } catch (error) {
    if (!(error instanceof InboundError)) throw error;
  }
  return `[${item.type} message]`;
}

function readItem(raw: unknown): Item[] {
  if (!isRecord(raw) || typeof raw.message_id !== "string") return [];
  const body = isRecord(raw.body) ? raw.body : {};
  const sender = isRecord(raw.sender) ? raw.sender : {};
  return [
    {
      id: raw.message_id,
      ...(typeof raw.upper_message_id === "string" && raw.upper_message_id
        ? { upper: raw.upper_message_id }
        : {}),
      type: typeof raw.msg_type === "string" ? raw.msg_type : "unknown",
      content: typeof body.content === "string" ? body.content : "{}",
      time: Number(raw.create_time) || 0,
      sender: typeof sender.id === "string" ? sender.id : "",
      fromApp: sender.sender_type === "app",
      mentions: readMentions(raw.mentions),
    },
  ];
}
