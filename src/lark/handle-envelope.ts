import type { Logger } from "pino";
import type { Intake } from "../intake/intake.js";
import type { CardAction, CardActionReply } from "../messages/card-action.js";
import type { ChatOpened } from "../messages/chat-opened.js";
import { CHAT_OPENED_EVENTS, chatOpened } from "./inbound/chat-opened.js";
import { normalizeCardAction, type OpenedCardAction } from "./inbound/normalize-card-action.js";
import { normalizeMessageEvent } from "./inbound/normalize-message.js";
import { recalledMessageId } from "./inbound/recalled-message.js";
import {
  envelopeEventId,
  envelopeEventType,
  type LarkEnvelope,
  type LegacyCardAction,
} from "./lark-envelope.js";
import { infoCardJson } from "./outbound/info-card-json.js";

/**
 * The body of the ack: `{}`, or for a card callback the toast Lark shows within its 3 seconds
 * and the card that replaces the pressed one (docs/lark-notes.md#callback-response).
 */
export type CardResponse = {
  toast?: CardActionReply["toast"];
  card?: { type: "raw"; data: Record<string, unknown> };
};

export type CardActionHandler = (botId: string, action: CardAction) => Promise<CardActionReply>;

export interface EnvelopeHandlerOptions {
  intake: Intake;
  logger: Logger;
  /** Toolbar buttons; without it every card callback is acknowledged with `{}`. */
  onCardAction?: CardActionHandler;
  /** A user took a message back; must only persist and return (it runs before the ack). */
  onRecall?: (botId: string, messageId: string) => Promise<void>;
  /** The bot joined a group or a p2p chat was opened; must only persist and return. */
  onChatOpened?: (opened: ChatOpened) => Promise<void>;
  /** Told what became of each event (the gateway's metrics). */
  observe?: (botId: string, event: EventKind, outcome: EventOutcome) => void;
}

export type EventKind = "message" | "recall" | "card" | "chat_opened" | "other";
export type EventOutcome = "accepted" | "duplicate" | "malformed" | "handled" | "ignored";

/**
 * What both receivers (webhook routes and the long connection) do with a verified envelope:
 * normalize, persist, return. Nothing here waits for the LLM, so the ack leaves at once.
 * Returns the body of the ack (a card callback's toast, or `{}`).
 */
export function createEnvelopeHandler(options: EnvelopeHandlerOptions) {
  const { intake } = options;
  async function handleEnvelope(
    botId: string,
    envelope: LarkEnvelope,
    logger: Logger = options.logger,
  ): Promise<CardResponse> {
    const eventType = envelopeEventType(envelope);
    const ids = { botId, eventId: envelopeEventId(envelope), eventType };
    const seen = (event: EventKind, outcome: EventOutcome) =>
      options.observe?.(botId, event, outcome);
    if (eventType === "im.message.receive_v1") {
      let message: ReturnType<typeof normalizeMessageEvent>;
      try {
        message = normalizeMessageEvent(botId, envelope);
      } catch (error) {
        // Acked anyway: Lark would re-push a malformed event for hours and it would never parse.
        logger.warn(
          { ...ids, reason: error instanceof Error ? error.message : String(error) },
          "malformed message event ignored",
        );
        seen("message", "malformed");
        return {};
      }
      const outcome = await intake.acceptMessage(message);
      seen("message", outcome);
      // One line per push, without a child logger: this is the ack's hot path.
      logger.info({ ...ids, messageId: message.messageId, outcome }, "message received");
      return {};
    }
    if (eventType === "im.message.recalled_v1" && options.onRecall) {
      let messageId: string;
      try {
        messageId = recalledMessageId(envelope);
      } catch (error) {
        logger.warn(
          { ...ids, reason: error instanceof Error ? error.message : String(error) },
          "malformed recall event ignored",
        );
        seen("recall", "malformed");
        return {};
      }
      await options.onRecall(botId, messageId);
      seen("recall", "handled");
      logger.info({ ...ids, messageId }, "message recalled");
      return {};
    }
    if (eventType === "card.action.trigger") {
      return handleCard(botId, { type: "event", envelope }, logger.child(ids));
    }
    if (CHAT_OPENED_EVENTS.includes(eventType) && options.onChatOpened) {
      let opened: ChatOpened;
      try {
        opened = chatOpened(botId, envelope);
      } catch (error) {
        logger.warn(
          { ...ids, reason: error instanceof Error ? error.message : String(error) },
          "malformed chat event ignored",
        );
        seen("chat_opened", "malformed");
        return {};
      }
      await options.onChatOpened(opened);
      seen("chat_opened", "handled");
      logger.info({ ...ids, chatId: opened.chatId }, "chat opened");
      return {};
    }
    logger.debug(ids, "event type not handled; acknowledged");
    seen("other", "ignored");
    return {};
  }

  async function handleCard(
    botId: string,
    opened: OpenedCardAction,
    log: Logger,
  ): Promise<CardResponse> {
    const seen = (outcome: EventOutcome) => options.observe?.(botId, "card", outcome);
    if (!options.onCardAction) {
      seen("ignored");
      return {};
    }
    let action: CardAction;
    try {
      action = normalizeCardAction(botId, opened);
    } catch (error) {
      log.warn(
        { reason: error instanceof Error ? error.message : String(error) },
        "malformed card callback ignored",
      );
      seen("malformed");
      return {};
    }
    const reply = await options.onCardAction(botId, action);
    seen("handled");
    return {
      ...(reply.toast ? { toast: reply.toast } : {}),
      // A legacy callback would want a JSON 1.0 card at the top level; ours are 2.0, so the
      // pressed card stays and only the toast says what happened.
      ...(reply.card && opened.type === "event"
        ? { card: { type: "raw" as const, data: infoCardJson(reply.card) } }
        : {}),
    };
  }

  return {
    handleEnvelope,
    /** The legacy message-card callback (flat body, no schema) from `/webhook/card`. */
    handleLegacyCard(botId: string, body: LegacyCardAction, logger: Logger = options.logger) {
      return handleCard(
        botId,
        { type: "legacy_card", body },
        logger.child({ botId, eventType: "card.action.legacy" }),
      );
    },
  };
}

export type EnvelopeHandler = ReturnType<typeof createEnvelopeHandler>;
