import type { InboundMessage } from "../lark/inbound/inbound-message.js";

/**
 * Which history a message belongs to, the way FastGPT's Lark channel keys `chatId`:
 * a p2p chat has one history; a topic thread has its own; in an ordinary group every sender
 * has their own, so two colleagues never see each other's context.
 */
export function conversationKey(
  message: Pick<InboundMessage, "chatType" | "chatId" | "threadId" | "sender">,
): string {
  if (message.chatType === "p2p") return `p2p:${message.chatId}`;
  if (message.threadId) return `thread:${message.threadId}`;
  return `group:${message.chatId}:${message.sender.openId}`;
}
