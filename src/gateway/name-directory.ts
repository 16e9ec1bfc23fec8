import type { Directory } from "../conversation/turn-placeholders.js";

/**
 * How long a name is kept. People and groups rarely rename, and each lookup costs API quota
 * (the free tier counts every call); a lookup Lark refused (no scope) is asked again sooner.
 */
export const NAME_TTL_MS = 60 * 60 * 1000;
export const MISS_TTL_MS = 10 * 60 * 1000;
/** Entries kept per bot and kind; the oldest go first past it. */
const MAX_ENTRIES = 5_000;

/**
 * The names behind the `{{sender.name}}`, `{{chat.name}}` and `{{bot.name}}` placeholders,
 * cached per id in memory (each replica keeps its own: a miss costs one call, not a wrong name).
 */
export function createNameDirectory(
  lookups: Directory,
  now: () => number = () => performance.now(),
): Directory {
  const cached = (lookup: (id: string) => Promise<string | undefined>) => {
    const entries = new Map<string, { until: number; name: Promise<string | undefined> }>();
    return (id: string): Promise<string | undefined> => {
      const hit = entries.get(id);
      if (hit && hit.until > now()) return hit.name;
      const name = lookup(id).catch(() => undefined);
      const entry = { until: now() + NAME_TTL_MS, name };
      entries.delete(id);
      entries.set(id, entry);
      void name.then((found) => {
        if (found === undefined) entry.until = now() + MISS_TTL_MS;
      });
      if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
      return name;
    };
  };
  const bot = cached(() => lookups.botName());
  return {
    userName: cached((openId) => lookups.userName(openId)),
    chatName: cached((chatId) => lookups.chatName(chatId)),
    botName: () => bot(""),
  };
}
