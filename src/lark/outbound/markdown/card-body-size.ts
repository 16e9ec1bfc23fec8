import type { CardElement } from "./card-element.js";

/** Lark rejects a card over 30 KB (230025 on send, 200860 from CardKit; docs/lark-notes.md#size-limits). */
export const CARD_SIZE_LIMIT_BYTES = 30 * 1024;

/**
 * UTF-8 byte length of `elements` serialized as JSON, the way it travels inside the card. CJK
 * text takes 3 bytes per character, so count bytes, not characters. The rest of the card
 * (schema, config, header) adds a few hundred bytes; leave room for it.
 *
 * @example if (cardBodySize(elements) > CARD_SIZE_LIMIT_BYTES - 2048) splitIntoMoreCards()
 */
export function cardBodySize(elements: CardElement[]): number {
  return Buffer.byteLength(JSON.stringify(elements), "utf8");
}
