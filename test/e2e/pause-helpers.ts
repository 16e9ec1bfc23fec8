import type { FastGptRequest } from "../kit/fake-fastgpt.js";
import type { FakeMessage } from "../kit/fake-lark.js";
import { messageText } from "../kit/fake-lark.js";
import { buttonValue, cardOf } from "./card-helpers.js";
import { cardTitle, type PressAck } from "./chat-helpers.js";
import { type E2eKit, writeConfig } from "./e2e-kit.js";
import type { GatewayProcess } from "./gateway-process.js";

const ASK = "Your answer is needed";

/** A FastGPT app on the default Lark app, as the bot `kb`. */
export function fastGptBotEnv(kit: E2eKit) {
  const config = writeConfig(`
apps:
  kb: { backend: fastgpt, baseUrl: "${kit.fastgpt.url}", apiKey: "\${FASTGPT_KEY}" }
bots:
  kb: { appId: ${kit.lark.app.appId}, appSecret: "\${KB_SECRET}", domain: "${kit.lark.url}", app: kb }
`);
  return {
    CONFIG_FILE: config,
    FASTGPT_KEY: kit.fastgpt.apiKey,
    KB_SECRET: kit.lark.app.appSecret,
  };
}

export const ROOMS = {
  text: "Which room?",
  interactive: {
    type: "userSelect" as const,
    params: {
      description: "Pick a meeting room",
      userSelectOptions: [
        { key: "option1", value: "Room A" },
        { key: "option2", value: "Room B" },
      ],
    },
  },
};

/** The user's side of a FastGPT workflow that asks back, through the bot `kb`. */
export function pausesWith(kit: E2eKit) {
  const contentOf = (request: FastGptRequest) =>
    (request.body.messages as Array<{ content: unknown }>).at(-1)?.content;
  return {
    contentOf,
    /** Sends `text`; resolves with the question's id and the pause card under the answer. */
    async ask(text: string, extra: Parameters<E2eKit["message"]>[1] = {}, to?: GatewayProcess) {
      const event = kit.message(text, extra);
      await kit.push(event, "kb/event", to ? { to } : {});
      const messageId = event.event.message.message_id;
      const replies = await kit.answersTo(messageId, { count: 2 });
      const card = replies.find((m) => cardTitle(m) === ASK);
      if (!card) throw new Error(`no pause card among ${replies.map(messageText).join(" | ")}`);
      return { messageId, chatId: event.event.message.chat_id, card };
    },
    /** Presses a button (or sends the form, with `formValue`) of the pause card. */
    async press(
      card: FakeMessage,
      label: string,
      opts: { operator?: string; formValue?: Record<string, unknown>; to?: GatewayProcess } = {},
    ): Promise<PressAck & { event: object }> {
      const value = buttonValue(cardOf(card), label);
      if (!value) throw new Error(`no "${label}" button: ${JSON.stringify(cardOf(card))}`);
      const event = kit.cardAction({
        value,
        messageId: card.messageId,
        chatId: card.chatId,
        ...(opts.operator ? { operator: opts.operator } : {}),
        ...(opts.formValue ? { formValue: opts.formValue } : {}),
      });
      const ack = await kit.push(event, "kb/card", opts.to ? { to: opts.to } : {});
      return { status: ack.status, ...(ack.body ? JSON.parse(ack.body) : {}), event };
    },
    /** The answer that continued the workflow: a reply to the question with this text. */
    async continued(messageId: string, text: string) {
      await kit.lark.waitForMessages(
        1,
        (m) => m.replyTo === messageId && messageText(m).includes(text),
        10_000,
      );
    },
  };
}
