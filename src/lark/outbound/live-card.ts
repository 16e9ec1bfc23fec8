import type { Translate } from "../../i18n/translate.js";
import { STREAM_ELEMENT_ID, toolbarElement } from "./answer-card.js";
import type { CallOptions, LarkApi } from "./lark-api.js";

/** A card that shows an answer while it is generated, then its final form. */
export interface LiveCard {
  messageId: string;
  /** Enough to find this card again (mark it interrupted from another replica). */
  delivery: CardDelivery;
  /** Shows the text so far (markdown, made streaming-safe by the caller). */
  show(text: string): Promise<void>;
  /** Ends streaming and replaces the card with its final JSON. Retries until it lands. */
  close(finalCard: Record<string, unknown>, summary: string): Promise<void>;
}

export interface LiveCardOpen {
  api: LarkApi;
  replyTo: string;
  inThread: boolean;
  /** Lark `uuid` for the reply, stable across job re-runs. */
  uuid: string;
  placeholder: string;
  toolbar?: { messageId: string; conversationKey: string };
  t: Translate;
  /**
   * Awaited once the card exists and before anyone can see it: a run killed right after the
   * reply must leave behind where its card is, or the run that takes over cannot mark it.
   */
  beforeShown?: (delivery: CardDelivery) => Promise<void>;
}

export interface CardDelivery {
  transport: "cardkit" | "patch";
  messageId: string;
  cardId?: string;
}

/**
 * CardKit sequences must grow across everyone who touches a card. A replica taking over an
 * abandoned card cannot know the last number used, so it starts far above any real count.
 */
const TAKEOVER_SEQUENCE = 2_000_000_000;

/** Ends a card that a dead replica left half-written, pointing to the new answer below. */
export async function markInterrupted(
  api: LarkApi,
  delivery: CardDelivery,
  t: Translate,
): Promise<void> {
  const summary = { content: t("card.interrupted_summary") };
  const card = {
    schema: "2.0",
    config: { update_multi: true, summary },
    body: { elements: [{ tag: "markdown", content: t("card.interrupted") }] },
  };
  if (delivery.transport === "cardkit" && delivery.cardId) {
    await api.cardSettings(
      delivery.cardId,
      { config: { streaming_mode: false, summary } },
      TAKEOVER_SEQUENCE,
    );
    await api.updateCard(delivery.cardId, card, TAKEOVER_SEQUENCE + 1);
  } else {
    await api.patchCard(delivery.messageId, card);
  }
}

/** Pacing per transport, from Lark's limits (docs/lark-notes.md#rate-limits). */
export interface LiveCardTransport {
  name: "cardkit" | "patch";
  open(options: LiveCardOpen): Promise<LiveCard>;
  timing: { intervalMs: number; charThreshold: number; floorMs: number };
}

const FINAL_CALL: CallOptions = { maxAttempts: 6 };
const STREAM_CALL: CallOptions = { maxAttempts: 1 };

function streamingBody(text: string, options: LiveCardOpen, elementId?: string) {
  const { toolbar } = options;
  return [
    { tag: "markdown", content: text, ...(elementId ? { element_id: elementId } : {}) },
    ...(toolbar ? [toolbarElement({ ...toolbar, streaming: true }, options.t)] : []),
  ];
}

/**
 * CardKit streaming: a card entity in streaming mode, sent by card_id; text goes to one
 * markdown element with a strictly increasing sequence, which Lark animates as a typewriter.
 * 10 operations per second per card are allowed; we stay well under.
 */
export const cardKitTransport: LiveCardTransport = {
  name: "cardkit",
  timing: { intervalMs: 150, charThreshold: 40, floorMs: 110 },
  async open(options) {
    const { api } = options;
    const cardId = await api.createCard(
      {
        schema: "2.0",
        config: {
          update_multi: true,
          streaming_mode: true,
          streaming_config: {
            print_frequency_ms: { default: 40 },
            print_step: { default: 2 },
            print_strategy: "fast",
          },
          summary: { content: "…" },
        },
        body: { elements: streamingBody(options.placeholder, options, STREAM_ELEMENT_ID) },
      },
      FINAL_CALL,
    );
    // CardKit knows the card before the message shows it, so the take-over can always find it.
    await options.beforeShown?.({ transport: "cardkit", messageId: "", cardId });
    const sent = await api.reply(
      options.replyTo,
      {
        msgType: "interactive",
        content: { type: "card", data: { card_id: cardId } },
        replyInThread: options.inThread,
        uuid: options.uuid,
      },
      FINAL_CALL,
    );
    let sequence = 0;
    return {
      messageId: sent.messageId,
      delivery: { transport: "cardkit", messageId: sent.messageId, cardId },
      show: (text) => api.streamCardText(cardId, STREAM_ELEMENT_ID, text, ++sequence, STREAM_CALL),
      async close(finalCard, summary) {
        await api.cardSettings(
          cardId,
          { config: { streaming_mode: false, summary: { content: summary } } },
          ++sequence,
          FINAL_CALL,
        );
        await api.updateCard(cardId, finalCard, ++sequence, FINAL_CALL);
      },
    };
  },
};

/**
 * The older way: an ordinary card message re-sent in full with PATCH. Lark allows 5 PATCHes
 * per second per message and they render as jumps, so updates are spaced out more.
 */
export const patchTransport: LiveCardTransport = {
  name: "patch",
  timing: { intervalMs: 800, charThreshold: 400, floorMs: 250 },
  async open(options) {
    const { api } = options;
    const card = (text: string) => ({
      schema: "2.0",
      config: { update_multi: true, summary: { content: "…" } },
      body: { elements: streamingBody(text, options) },
    });
    const sent = await api.reply(
      options.replyTo,
      {
        msgType: "interactive",
        content: card(options.placeholder),
        replyInThread: options.inThread,
        uuid: options.uuid,
      },
      FINAL_CALL,
    );
    return {
      messageId: sent.messageId,
      delivery: { transport: "patch", messageId: sent.messageId },
      show: (text) => api.patchCard(sent.messageId, card(text), STREAM_CALL),
      close: (finalCard) => api.patchCard(sent.messageId, finalCard, FINAL_CALL),
    };
  },
};
