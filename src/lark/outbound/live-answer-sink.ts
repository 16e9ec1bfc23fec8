import type { Logger } from "pino";
import type { ReplyTarget } from "../../conversation/ports.js";
import type { Translate } from "../../i18n/translate.js";
import type { AnswerFinal, AnswerSnapshot } from "../../messages/answer.js";
import { answerSummary, buildAnswerCard } from "./answer-card.js";
import { cutPart } from "./answer-parts.js";
import type { AnswerPictures } from "./answer-pictures.js";
import type { LarkApi } from "./lark-api.js";
import { LarkApiError } from "./lark-api-error.js";
import {
  type CardDelivery,
  type LiveCard,
  type LiveCardTransport,
  markInterrupted,
} from "./live-card.js";
import { streamingPictures } from "./markdown/streaming-pictures.js";
import { streamingSafeMarkdown } from "./markdown/streaming-safe-markdown.js";
import { liveCardUuid } from "./request-uuid.js";
import { createStreamPump, type StreamPump } from "./stream-pump.js";

const WAITING_PLACEHOLDER = "…";

export interface LiveAnswerOptions {
  api: LarkApi;
  transport: LiveCardTransport;
  target: ReplyTarget;
  conversationKey: string;
  footer: boolean;
  /** The bot's language, for the card's own words. */
  t: Translate;
  logger: Logger;
  /** A live update failed in a way that will not heal (scope revoked…). */
  onBroken?: (error: unknown) => void;
  /** Told about every card opened, so a take-over can find it. */
  onCardOpened?: (card: LiveCard) => void;
  /** Awaited before the first card becomes visible, with where it will be (see LiveCardOpen). */
  beforeFirstShown?: (delivery: CardDelivery) => Promise<void>;
  /** The answer's pictures (already seen in the text): placeholders while they load. */
  pictures?: AnswerPictures;
}

/**
 * An answer shown while it is generated: opens a live card, streams the text through a
 * throttled pump, rolls over to a follow-up card before Lark's size limits, and finally
 * replaces each card with its rendered form (native tables, footer, toolbar).
 */
export function createLiveAnswer(options: LiveAnswerOptions) {
  const { api, target, transport, logger } = options;
  const cards: LiveCard[] = [];
  let card: LiveCard | undefined;
  let pump: StreamPump | undefined;
  /** Where the current card's text starts in the full answer, and what it re-opens. */
  let partStart = 0;
  let carry = "";
  let latest: AnswerSnapshot = { text: "", reasoning: "" };
  let rolling: Promise<void> | undefined;

  const partText = (text: string) => carry + text.slice(partStart).replace(/^\n+/, "");

  async function openCard(): Promise<void> {
    const index = cards.length;
    const record = index === 0 ? options.beforeFirstShown : undefined;
    let recordedBeforeShown = false;
    card = await transport.open({
      api,
      replyTo: target.messageId,
      inThread: target.inThread,
      uuid: liveCardUuid(target.idempotencyKey, index),
      placeholder: WAITING_PLACEHOLDER,
      t: options.t,
      toolbar: { messageId: target.messageId, conversationKey: options.conversationKey },
      ...(record
        ? {
            beforeShown: async (delivery: CardDelivery) => {
              await record(delivery);
              recordedBeforeShown = true;
            },
          }
        : {}),
    });
    if (record && !recordedBeforeShown) {
      // This transport's card shows from its reply on (its placeholder): recorded right after,
      // and taken back if that fails, so no answer shows where a take-over could not find it.
      const opened = card;
      try {
        await record(opened.delivery);
      } catch (error) {
        card = undefined;
        await markInterrupted(api, opened.delivery, options.t).catch(() => {});
        throw error;
      }
    }
    cards.push(card);
    options.onCardOpened?.(card);
    const live = card;
    pump = createStreamPump({
      ...transport.timing,
      send: (text) => live.show(text),
      onBroken: (error) => {
        logger.warn({ err: describe(error), transport: transport.name }, "live updates stopped");
        options.onBroken?.(error);
      },
    });
  }

  /** Ends the current card with `head` and opens the next one for the rest. */
  async function rollover(head: string, consumed: number, nextCarry: string): Promise<void> {
    const current = card!;
    await pump?.stop();
    await options.pictures?.settled();
    const final = buildAnswerCard(
      { ...emptyFinal(), text: head },
      { t: options.t, footer: false, continued: true, ...pictureOption() },
    );
    await current.close(final, answerSummary(head));
    partStart += Math.max(0, consumed - carry.length);
    carry = nextCarry;
    logger.info({ part: cards.length + 1 }, "answer rolled over to a follow-up card");
    await openCard();
  }

  function drive(): void {
    if (rolling || !pump) return;
    const text = partText(latest.text);
    const cut = latest.text ? cutPart(text) : undefined;
    if (cut) {
      rolling = rollover(cut.head, cut.consumed, cut.carry).then(
        () => {
          rolling = undefined;
          drive();
        },
        (error) => {
          rolling = undefined;
          logger.warn({ err: describe(error) }, "rollover failed");
        },
      );
      return;
    }
    if (text) pump.push(streamingSafeMarkdown(withPictures(text)));
    else if (latest.reasoning) pump.push(options.t("card.thinking"));
  }

  function withPictures(text: string): string {
    const pictures = options.pictures;
    if (!pictures) return text;
    return streamingPictures(text, pictures.lookup, (alt) =>
      options.t("card.picture_loading", { alt: alt || "🖼" }),
    );
  }

  function pictureOption() {
    return options.pictures ? { pictures: options.pictures.lookup } : {};
  }

  return {
    /** Opens the first card. Throws when the transport is unavailable (caller falls back). */
    open: openCard,

    update(snapshot: AnswerSnapshot): void {
      latest = snapshot;
      drive();
    },

    /** Shows the same text again (a picture arrived, or was refused). */
    refresh(): void {
      drive();
    },

    get broken(): boolean {
      return pump?.broken ?? false;
    },

    get firstMessageId(): string | undefined {
      return cards[0]?.messageId;
    },

    /** Shows the final answer; throws if the last card cannot be finalized. */
    async finish(final: AnswerFinal): Promise<void> {
      latest = final;
      while (rolling) await rolling;
      // Whatever text arrived after the last rollover may itself be too long for one card.
      for (let cut = cutPart(partText(final.text)); cut; cut = cutPart(partText(final.text))) {
        await rollover(cut.head, cut.consumed, cut.carry);
      }
      await pump?.stop();
      await options.pictures?.settled();
      const text = partText(final.text);
      const render = (maxTables?: number) =>
        buildAnswerCard(
          final,
          {
            t: options.t,
            footer: options.footer,
            maxTables,
            ...pictureOption(),
            toolbar: {
              messageId: target.messageId,
              conversationKey: options.conversationKey,
              streaming: false,
            },
          },
          text,
        );
      const summary = answerSummary(final.errorNotice && !final.text ? final.errorNotice : text);
      try {
        await card!.close(render(), summary);
      } catch (error) {
        // A tenant with a lower table limit refuses the card: the same text with tables as lists.
        if (
          error instanceof LarkApiError &&
          (error.kind === "table_limit" || error.kind === "too_large")
        ) {
          await card!.close(render(0), summary);
          return;
        }
        throw error;
      }
    },
  };
}

export type LiveAnswer = ReturnType<typeof createLiveAnswer>;

function emptyFinal(): AnswerFinal {
  return { text: "", reasoning: "", status: "done", model: "", elapsedMs: 0, citations: [] };
}

function describe(error: unknown) {
  return error instanceof LarkApiError
    ? { kind: error.kind, code: error.code, message: error.message }
    : { message: error instanceof Error ? error.message : String(error) };
}
