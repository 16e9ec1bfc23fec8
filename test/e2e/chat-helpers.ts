import type { FakeMessage } from "../kit/fake-lark.js";
import type { LlmRequest } from "../kit/fake-llm.js";
import { buttonValue, cardOf } from "./card-helpers.js";
import type { E2eKit } from "./e2e-kit.js";

type MessageExtra = Parameters<E2eKit["message"]>[1];

/** What Lark answers a button press with: a toast, and the card that replaces the pressed one. */
export interface PressAck {
  status: number;
  toast?: { content: string };
  card?: { data: { header: { title: { content: string } }; body: unknown } };
}

/**
 * The user's side of a chat with the kit's default bot: send a message and wait for the one
 * reply it gets, press a button of a card the bot sent.
 */
export function chatWith(kit: E2eKit) {
  return {
    /** Sends `text` (in a fresh p2p chat unless `extra.chatId`) and waits for its reply. */
    async send(text: string, extra: MessageExtra = {}) {
      const event = kit.message(text, extra);
      await kit.push(event);
      const messageId = event.event.message.message_id;
      const [reply] = await kit.answersTo(messageId);
      return { reply: reply!, chatId: event.event.message.chat_id, messageId };
    },
    /** Presses the button labelled `label` (it must be there) as Alice unless `operator`. */
    async press(card: FakeMessage, label: string, operator?: string): Promise<PressAck> {
      const value = buttonValue(cardOf(card), label);
      if (!value)
        throw new Error(`no "${label}" button on the card: ${JSON.stringify(cardOf(card))}`);
      const ack = await kit.push(
        kit.cardAction({ value, messageId: card.messageId, chatId: card.chatId, operator }),
        "card",
      );
      return { status: ack.status, ...(ack.body ? JSON.parse(ack.body) : {}) };
    },
  };
}

/** The header title of a command card. */
export function cardTitle(message: FakeMessage): string {
  const card = cardOf(message) as { header?: { title?: { content?: string } } };
  return card.header?.title?.content ?? "";
}

/** The labels of every button on a card. */
export function buttonLabels(message: FakeMessage): string[] {
  const labels: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const record = node as { tag?: unknown; text?: { content?: unknown } };
      if (record.tag === "button" && typeof record.text?.content === "string")
        labels.push(record.text.content);
      Object.values(node).forEach(walk);
    }
  };
  walk(cardOf(message));
  return labels;
}

/** The system prompt of a request to the model, if it had one. */
export function systemPromptOf(request: LlmRequest): string | undefined {
  const messages = request.body.messages as Array<{ role: string; content: string }>;
  return messages.find((m) => m.role === "system")?.content;
}

/** The last request the fake model got. */
export function lastRequest(kit: E2eKit): LlmRequest {
  const request = kit.llm.requests.at(-1);
  if (!request) throw new Error("the model was not asked anything");
  return request;
}
