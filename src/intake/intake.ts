import { conversationKey } from "../conversation/conversation-key.js";
import type { CardAction } from "../lark/inbound/card-action.js";
import type { InboundMessage } from "../lark/inbound/inbound-message.js";
import type { Store } from "../store/store.js";

/**
 * Durable intake: the only thing the 3-second ack path does after verification. A message is
 * deduplicated on its message id and stored as a job; the worker answers it later.
 */
export function createIntake(options: { store: Store; onAccepted?: () => void }) {
  const { store } = options;
  return {
    async acceptMessage(message: InboundMessage): Promise<"accepted" | "duplicate"> {
      // Namespaced by bot: two bots in one group see the same message id and must each answer.
      // The message id alone: Lark's docs for im.message.receive_v1 say to dedupe on it, and a
      // re-push of the same event carries the same message, so an event-id key would only
      // cost a second index write on the ack path (lark-protocol §3).
      const keys = [`msg:${message.botId}:${message.messageId}`];
      const outcome = await store.acceptJob(
        {
          botId: message.botId,
          kind: "message",
          conversationKey: conversationKey(message),
          payload: message,
        },
        keys,
      );
      if (outcome === "accepted") options.onAccepted?.();
      return outcome;
    },

    async acceptCardAction(
      action: CardAction,
      conversation: string,
    ): Promise<"accepted" | "duplicate"> {
      const keys = action.eventId ? [`evt:${action.botId}:${action.eventId}`] : [];
      const outcome = await store.acceptJob(
        {
          botId: action.botId,
          kind: "card_action",
          conversationKey: conversation,
          payload: action,
        },
        keys,
      );
      if (outcome === "accepted") options.onAccepted?.();
      return outcome;
    },
  };
}

export type Intake = ReturnType<typeof createIntake>;

/**
 * Dedup keys must outlive Lark's whole re-push schedule (15 s, 5 min, 1 h, 6 h ≈ 7.1 h);
 * we keep them a day.
 */
export const DEDUP_RETENTION_MS = 24 * 60 * 60 * 1000;
