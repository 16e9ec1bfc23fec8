import { parseConversationKey } from "../messages/conversation-key.js";

/**
 * What an app can be told about where a question comes from, as `{{name}}` placeholders in
 * its variables (FastGPT `variables`, Dify `inputs`) and in its system prompt (OpenAI-compatible
 * apps). Names come from Lark's contact and chat APIs; without their scopes, the ids stand in.
 */
export const PLACEHOLDERS = [
  "sender.name",
  "sender.open_id",
  "chat.id",
  "chat.name",
  "chat.type",
  "bot.name",
  "date",
  "time",
  "datetime",
  "timezone",
] as const;

export type Placeholder = (typeof PLACEHOLDERS)[number];

const PATTERN = /\{\{\s*([a-z_.]+)\s*\}\}/g;

/** Where the names come from; each may fail or know nothing, and the id is used instead. */
export interface Directory {
  userName(openId: string): Promise<string | undefined>;
  chatName(chatId: string): Promise<string | undefined>;
  botName(): Promise<string | undefined>;
}

export interface TurnPlace {
  senderOpenId: string;
  chatId: string;
  conversationKey: string;
  /** IANA name; UTC when unset. */
  timeZone?: string;
  now: Date;
}

/** The placeholders that occur in these texts (unknown names are left as written). */
export function placeholdersIn(texts: ReadonlyArray<string | undefined>): Set<Placeholder> {
  const found = new Set<Placeholder>();
  for (const text of texts) {
    for (const match of text?.matchAll(PATTERN) ?? []) {
      const name = match[1] as Placeholder;
      if ((PLACEHOLDERS as readonly string[]).includes(name)) found.add(name);
    }
  }
  return found;
}

/** Whether any of these texts uses a placeholder (so filling them is worth a wait). */
export function hasPlaceholders(texts: ReadonlyArray<string | undefined>): boolean {
  return placeholdersIn(texts).size > 0;
}

/**
 * A filler for the placeholders `texts` use, asking the directory only for the names they
 * need. `{{date}}` is `YYYY-MM-DD`, `{{time}}` `HH:mm`, `{{datetime}}` both, in the zone.
 *
 * @example
 * const fill = await placeholderFiller(["Hi {{sender.name}}"], place, directory);
 * fill("Hi {{sender.name}}"); // "Hi Alice" (or "Hi ou_…" without the contact scope)
 */
export async function placeholderFiller(
  texts: ReadonlyArray<string | undefined>,
  place: TurnPlace,
  directory: Directory | undefined,
): Promise<(text: string) => string> {
  const used = placeholdersIn(texts);
  if (used.size === 0) return (text) => text;
  const ask = async (lookup: (() => Promise<string | undefined>) | undefined) => {
    try {
      return lookup ? await lookup() : undefined;
    } catch {
      return undefined;
    }
  };
  const scope = parseConversationKey(place.conversationKey);
  const values: Record<Placeholder, string> = {
    "sender.open_id": place.senderOpenId,
    "sender.name": used.has("sender.name")
      ? ((await ask(directory && (() => directory.userName(place.senderOpenId)))) ??
        place.senderOpenId)
      : "",
    "chat.id": place.chatId,
    "chat.name": used.has("chat.name")
      ? ((await ask(directory && (() => directory.chatName(place.chatId)))) ?? place.chatId)
      : "",
    "chat.type": scope?.type === "p2p" ? "p2p" : "group",
    "bot.name": used.has("bot.name")
      ? ((await ask(directory && (() => directory.botName()))) ?? "")
      : "",
    ...clock(place.now, place.timeZone ?? "UTC"),
    timezone: place.timeZone ?? "UTC",
  };
  return (text) =>
    text.replace(PATTERN, (whole, name: string) =>
      (PLACEHOLDERS as readonly string[]).includes(name) ? values[name as Placeholder] : whole,
    );
}

function clock(now: Date, timeZone: string): { date: string; time: string; datetime: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(now)
      .map((part) => [part.type, part.value]),
  );
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const time = `${parts.hour}:${parts.minute}`;
  return { date, time, datetime: `${date} ${time}` };
}
