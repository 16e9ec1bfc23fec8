import type { FakeLark, FakeMessage } from "../kit/fake-lark.js";
import {
  cardActionEvent,
  type MessageEventOptions,
  messageEvent,
  messageRecalledEvent,
} from "../kit/lark-events.js";
import { isFinal, isFinishedCard } from "./card-helpers.js";

export interface DefaultBotEventOptions {
  /** Echoed in every event's header, as Lark does for an app that has one. */
  verificationToken?: string;
  /** Messages built without a chatId get a fresh `oc_<chatPrefix>_<n>`, one conversation each. */
  chatPrefix?: string;
}

/**
 * What Lark sends the default bot and how its answers are awaited, with the ids and keys every
 * e2e file used to spell out itself (Alice, the default app, the verification token). Apart
 * from the kit so that each stays small; only the kit extends it.
 */
export abstract class DefaultBotEvents {
  abstract get lark(): FakeLark;
  readonly #options: DefaultBotEventOptions;
  #chats = 0;

  constructor(options: DefaultBotEventOptions) {
    this.#options = options;
  }

  /** A message from Alice to the default bot: in p2p and in a fresh chat unless `extra` says. */
  message(text: string, extra: Partial<MessageEventOptions> = {}) {
    return messageEvent({
      appId: this.lark.app.appId,
      token: this.#options.verificationToken,
      text,
      ...extra,
      // After the spread: an option passed as undefined still gets its default.
      chatId: extra.chatId ?? `oc_${this.#options.chatPrefix ?? "e2e"}_${++this.#chats}`,
      chatType: extra.chatType ?? "p2p",
      senderOpenId: extra.senderOpenId ?? "ou_alice",
    });
  }

  /** The `@_user_1` mention of the default bot, for group messages. */
  botMention() {
    return { key: "@_user_1", openId: this.lark.app.botOpenId, name: this.lark.app.botName };
  }

  /** A press on a card button, by Alice unless `operator` is given. */
  cardAction(opts: {
    value: Record<string, unknown>;
    messageId: string;
    chatId: string;
    operator?: string;
    /** A card form's values, by field name, as Lark sends them with its submit button. */
    formValue?: Record<string, unknown>;
  }) {
    return cardActionEvent({
      ...(opts.formValue ? { formValue: opts.formValue } : {}),
      appId: this.lark.app.appId,
      token: this.#options.verificationToken,
      operatorOpenId: opts.operator ?? "ou_alice",
      value: opts.value,
      messageId: opts.messageId,
      chatId: opts.chatId,
    });
  }

  recall(messageId: string, chatId: string) {
    return messageRecalledEvent({
      appId: this.lark.app.appId,
      token: this.#options.verificationToken,
      messageId,
      chatId,
    });
  }

  /**
   * Waits for `count` replies to the message in their final state; `card`: they must be
   * streamed cards, closed, for tests of the card path.
   */
  answersTo(messageId: string, opts: { count?: number; timeoutMs?: number; card?: boolean } = {}) {
    const done = opts.card ? isFinishedCard : isFinal;
    return this.lark.waitForMessages(
      opts.count ?? 1,
      (m) => m.replyTo === messageId && done(m),
      opts.timeoutMs,
    );
  }
}

/** Every reply to the message, finished or not. */
export const repliesTo = (messageId: string) => (m: FakeMessage) => m.replyTo === messageId;
