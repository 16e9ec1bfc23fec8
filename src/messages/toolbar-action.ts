/**
 * The buttons on our cards (the answer's toolbar, and the command cards), as the channel
 * carries them back when pressed. Lark returns a button's `value` object untouched, sometimes
 * hours later, so the value is versioned: a card sent before an upgrade still works after it.
 */
export type ToolbarAction =
  /** The answer's toolbar: about the answer to the user's message `messageId`. */
  | { action: "stop" | "regenerate"; messageId: string; conversationKey: string }
  | { action: "new_chat"; messageId?: string; conversationKey: string }
  /** Command cards: about the conversation only. */
  | {
      action:
        | "clear_confirm"
        | "clear_cancel"
        | "system_default"
        | "roles"
        | "ai_modes"
        | "usage"
        | "picture_mode"
        | "picture_leave"
        | "vision_mode"
        | "vision_leave";
      conversationKey: string;
    }
  /** Command cards: a choice, named by `param` (a role tag or title, a mode, a model). */
  | {
      action:
        | "role_tag"
        | "role_pick"
        | "ai_mode"
        | "model"
        | "picture_shape"
        | "picture_style"
        | "vision_detail";
      conversationKey: string;
      param: string;
    }
  /**
   * A picture's card: draw `param` (the prompt) again, or a variation of the picture `ref`
   * (the channel's reference), as another answer to the user's message `messageId`.
   */
  | {
      action: "picture_again" | "picture_vary";
      conversationKey: string;
      messageId: string;
      param: string;
      ref?: string;
    }
  /**
   * A workflow's pause card: the option number `ref` of the pause `param` pressed, or its
   * form sent (`pause_submit`, the values in the press).
   */
  | { action: "pause_pick"; conversationKey: string; param: string; ref: string }
  | { action: "pause_submit"; conversationKey: string; param: string };

export type ToolbarActionName = ToolbarAction["action"];

/**
 * The wire form: short keys, since Lark counts them against the card's size. Version 1 adds
 * `v`; the first cards carried `{a, m, k}` without it, which reads as version 1 too.
 */
export interface ToolbarValue {
  v: 1;
  a: ToolbarActionName;
  k: string;
  m?: string;
  p?: string;
  /** A picture's reference (added within version 1: older gateways never send it). */
  i?: string;
}

export const TOOLBAR_VALUE_VERSION = 1;

const ABOUT_AN_ANSWER: ReadonlySet<string> = new Set(["stop", "regenerate"]);
const ABOUT_A_CONVERSATION: ReadonlySet<string> = new Set([
  "new_chat",
  "clear_confirm",
  "clear_cancel",
  "system_default",
  "roles",
  "ai_modes",
  "usage",
  "picture_mode",
  "picture_leave",
  "vision_mode",
  "vision_leave",
]);
const A_CHOICE: ReadonlySet<string> = new Set([
  "role_tag",
  "role_pick",
  "ai_mode",
  "model",
  "picture_shape",
  "picture_style",
  "vision_detail",
]);
const ABOUT_A_PICTURE: ReadonlySet<string> = new Set(["picture_again", "picture_vary"]);

export function encodeToolbarValue(action: ToolbarAction): ToolbarValue {
  return {
    v: 1,
    a: action.action,
    k: action.conversationKey,
    ...("messageId" in action && action.messageId ? { m: action.messageId } : {}),
    ...("param" in action ? { p: action.param } : {}),
    ...("ref" in action && action.ref ? { i: action.ref } : {}),
  };
}

/** The action a pressed button stands for; undefined for a value that is not one of ours. */
export function decodeToolbarValue(value: Record<string, unknown>): ToolbarAction | undefined {
  const { v, a, m, k, p, i } = value;
  // A newer gateway's button reaching an older replica during a rolling upgrade: not ours to guess.
  if (v !== undefined && v !== TOOLBAR_VALUE_VERSION) return undefined;
  if (typeof a !== "string" || typeof k !== "string" || !k) return undefined;
  const messageId = typeof m === "string" && m ? m : undefined;
  if (ABOUT_AN_ANSWER.has(a)) {
    if (!messageId) return undefined;
    return { action: a as "stop" | "regenerate", messageId, conversationKey: k };
  }
  if (a === "new_chat") {
    return { action: "new_chat", conversationKey: k, ...(messageId ? { messageId } : {}) };
  }
  if (ABOUT_A_CONVERSATION.has(a)) {
    return { action: a as "clear_confirm", conversationKey: k };
  }
  if (A_CHOICE.has(a) && typeof p === "string" && p) {
    return { action: a as "role_tag", conversationKey: k, param: p };
  }
  if (a === "pause_pick" && typeof p === "string" && p && typeof i === "string" && i) {
    return { action: "pause_pick", conversationKey: k, param: p, ref: i };
  }
  if (a === "pause_submit" && typeof p === "string" && p) {
    return { action: "pause_submit", conversationKey: k, param: p };
  }
  if (ABOUT_A_PICTURE.has(a) && messageId && typeof p === "string" && p) {
    return {
      action: a as "picture_again",
      conversationKey: k,
      messageId,
      param: p,
      ...(typeof i === "string" && i ? { ref: i } : {}),
    };
  }
  return undefined;
}
