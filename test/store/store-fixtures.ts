import type { NewExchange, NewJob } from "../../src/store/store.js";

export function newJob(conversationKey: string, payload: unknown = {}): NewJob {
  return { botId: "bot", kind: "message", conversationKey, payload };
}

export function newExchange(fields: Partial<NewExchange> = {}): NewExchange {
  return {
    botId: "bot",
    conversationKey: "chat-a",
    generation: 1,
    chatId: "oc_1",
    senderOpenId: "ou_1",
    messageId: "om_1",
    question: "What is Lark?",
    answer: "A collaboration suite.",
    model: "gpt-test",
    promptTokens: null,
    completionTokens: null,
    latencyMs: 1234,
    error: null,
    status: "done",
    answerMessageId: null,
    ...fields,
  };
}
