import type { InboundMention, InboundMessage } from "./inbound-message.js";

const ALL = "@_all";

/**
 * The text the LLM sees: the bot's own mention removed (with the space around it), other
 * mentions as `@Name`, `@_all` as `@all`.
 *
 * @example messageText({ …, text: "@_user_1 what is 2+2?", mentions: [{ key: "@_user_1", openId: botOpenId, name: "Bot" }] }, botOpenId) // "what is 2+2?"
 */
export function messageText(
  message: Pick<InboundMessage, "text" | "mentions">,
  botOpenId: string | undefined,
): string {
  const byKey = new Map(message.mentions.map((mention) => [mention.key, mention]));
  const keys = [...byKey.keys(), ALL].sort((a, b) => b.length - a.length).map(escapeRegExp);
  // `(?!\d)` so that `@_user_1` never matches the start of `@_user_10`.
  const pattern = new RegExp(`([ \\t]*)(${keys.join("|")})(?!\\d)([ \\t]*)`, "g");

  const text = message.text.replace(
    pattern,
    (match: string, before: string, key: string, after: string, offset: number, whole: string) => {
      if (key === ALL) return `${before}@all${after}`;
      const mention = byKey.get(key);
      if (!mention || !isBotMention(mention, botOpenId)) {
        return `${before}${mention?.name ? `@${mention.name}` : key}${after}`;
      }
      // Keep one space only where removing the mention would glue two words together
      // ("hi @bot there"), not before punctuation ("thanks @bot, really") or at a line edge.
      const previous = whole[offset - 1];
      const next = whole[offset + match.length];
      const joinsWords =
        previous !== undefined &&
        next !== undefined &&
        !/\s/.test(previous) &&
        !/[\s\p{P}]/u.test(next);
      return joinsWords && (before !== "" || after !== "") ? " " : "";
    },
  );
  return text.trim();
}

/** True only when a mention resolves to the bot's open_id; `@_all` and names never count. */
export function mentionsBot(message: InboundMessage, botOpenId: string | undefined): boolean {
  return message.mentions.some((mention) => isBotMention(mention, botOpenId));
}

function isBotMention(mention: InboundMention, botOpenId: string | undefined): boolean {
  return (
    mention.key !== ALL &&
    botOpenId !== undefined &&
    botOpenId !== "" &&
    mention.openId === botOpenId
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
