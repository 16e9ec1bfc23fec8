/**
 * The buttons under an answer, as the channel carries them back when pressed. Lark returns a
 * button's `value` object untouched, sometimes hours later, so the value is versioned: a card
 * sent before an upgrade still works after it.
 */
export type ToolbarActionName = "stop" | "regenerate" | "new_chat";

export interface ToolbarAction {
  action: ToolbarActionName;
  /** The user's message the answer replies to. */
  messageId: string;
  /** The conversation it belongs to (`formatConversationKey`). */
  conversationKey: string;
}

/**
 * The wire form: short keys, since Lark counts them against the card's size. Version 1 adds
 * `v`; the first cards carried `{a, m, k}` without it, which reads as version 1 too.
 */
export interface ToolbarValue {
  v: 1;
  a: ToolbarActionName;
  m: string;
  k: string;
}

export const TOOLBAR_VALUE_VERSION = 1;

const NAMES: ReadonlySet<string> = new Set<ToolbarActionName>(["stop", "regenerate", "new_chat"]);

export function encodeToolbarValue(action: ToolbarAction): ToolbarValue {
  return { v: 1, a: action.action, m: action.messageId, k: action.conversationKey };
}

/** The action a pressed button stands for; undefined for a value that is not one of ours. */
export function decodeToolbarValue(value: Record<string, unknown>): ToolbarAction | undefined {
  const { v, a, m, k } = value;
  // A newer gateway's button reaching an older replica during a rolling upgrade: not ours to guess.
  if (v !== undefined && v !== TOOLBAR_VALUE_VERSION) return undefined;
  if (typeof a !== "string" || !NAMES.has(a)) return undefined;
  if (typeof m !== "string" || typeof k !== "string" || !m || !k) return undefined;
  return { action: a as ToolbarActionName, messageId: m, conversationKey: k };
}
