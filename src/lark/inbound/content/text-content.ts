import { InboundError } from "../inbound-error.js";

/**
 * `text` messages: `{"text":"@_user_1 hi [link](https://x)"}`. Mention placeholders stay in
 * place; `messageText` resolves them once the bot's open_id is known.
 */
export function textContent(content: Record<string, unknown>): string {
  if (typeof content.text !== "string") {
    throw new InboundError("text message content has no text string");
  }
  return content.text;
}
