import type { InboundMessage } from "./inbound-message.js";

/**
 * Which history a message belongs to, the way FastGPT's Lark channel keys `chatId`: a p2p chat
 * has one history; a topic thread has its own; in an ordinary group every sender has their
 * own, so two colleagues never see each other's context.
 */
export type ConversationScope =
  | { type: "p2p"; chatId: string }
  | { type: "thread"; threadId: string }
  | { type: "group"; chatId: string; senderOpenId: string };

/**
 * The stored form of a scope: `p2p:<chat>`, `thread:<thread>`, `group:<chat>:<sender>`. It is
 * in every history row, job and toolbar button, so it never changes shape; this file is the
 * only one that builds or reads it. Channel ids hold no `:` (Lark's are `oc_…`, `ou_…`,
 * `omt_…`); a group key is split at its last `:` so that a chat id with one still reads back.
 */
export function formatConversationKey(scope: ConversationScope): string {
  switch (scope.type) {
    case "p2p":
      return `p2p:${scope.chatId}`;
    case "thread":
      return `thread:${scope.threadId}`;
    case "group":
      return `group:${scope.chatId}:${scope.senderOpenId}`;
  }
}

/** The conversation a message belongs to. */
export function conversationScope(
  message: Pick<InboundMessage, "chatType" | "chatId" | "threadId" | "sender">,
): ConversationScope {
  if (message.chatType === "p2p") return { type: "p2p", chatId: message.chatId };
  if (message.threadId) return { type: "thread", threadId: message.threadId };
  return { type: "group", chatId: message.chatId, senderOpenId: message.sender.openId };
}

/** `formatConversationKey(conversationScope(message))`. */
export function conversationKey(
  message: Pick<InboundMessage, "chatType" | "chatId" | "threadId" | "sender">,
): string {
  return formatConversationKey(conversationScope(message));
}

/** The scope of a stored key; undefined for a string that is not one. */
export function parseConversationKey(key: string): ConversationScope | undefined {
  const colon = key.indexOf(":");
  if (colon < 0) return undefined;
  const rest = key.slice(colon + 1);
  if (rest === "") return undefined;
  switch (key.slice(0, colon)) {
    case "p2p":
      return { type: "p2p", chatId: rest };
    case "thread":
      return { type: "thread", threadId: rest };
    case "group": {
      const last = rest.lastIndexOf(":");
      if (last <= 0 || last === rest.length - 1) return undefined;
      return { type: "group", chatId: rest.slice(0, last), senderOpenId: rest.slice(last + 1) };
    }
    default:
      return undefined;
  }
}

/**
 * Who may act on a conversation (Stop, Regenerate, New chat): in an ordinary group only the
 * member it belongs to; p2p chats and topic threads are shared by everyone in them.
 */
export function mayActOn(key: string, operatorOpenId: string): boolean {
  const scope = parseConversationKey(key);
  if (!scope) return false;
  return scope.type !== "group" || scope.senderOpenId === operatorOpenId;
}

/**
 * In a card sent to a whole group (the welcome), a button stands for the conversation of
 * whoever presses it: its key names this sender, and `forOperator` puts the presser in.
 */
export const ANY_MEMBER = "*";

export function forOperator(key: string, operatorOpenId: string): string {
  const scope = parseConversationKey(key);
  if (scope?.type !== "group" || scope.senderOpenId !== ANY_MEMBER) return key;
  return formatConversationKey({ ...scope, senderOpenId: operatorOpenId });
}

/** The conversation is a topic thread (answers stay in it). */
export function isThreadConversation(key: string): boolean {
  return parseConversationKey(key)?.type === "thread";
}
