import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import { BackendError, type ChatTurn, type ImageInput } from "../backends/backend.js";
import type { JobRun } from "../intake/job-run.js";
import type { Citation } from "../messages/answer.js";
import { IMAGE_PLACEHOLDER } from "../messages/inbound-message.js";
import type { Store } from "../store/store.js";
import { assembleHistory } from "./assemble-history.js";
import type { AppRuntime, BotRuntime } from "./bot-runtime.js";
import type { AnswerSink, ReplyTarget } from "./ports.js";
import type { RunningAnswers } from "./running-answers.js";

export interface TurnInput {
  bot: BotRuntime;
  app: AppRuntime;
  conversationKey: string;
  target: ReplyTarget;
  run: JobRun;
  senderOpenId: string;
  /** The text of the question; empty when it is only images. */
  question: string;
  /** Pictures sent with it, downloaded, for an app whose model takes them inline. */
  images?: ImageInput[];
  /** Pictures sent with it, as signed links, for an app that fetches them. */
  imageUrls?: string[];
}

export interface TurnDeps {
  store: Store;
  running: RunningAnswers;
  logger: Logger;
}

/**
 * One question → one answer: assemble the prompt from this conversation's history, stream
 * the backend's parts into the answer sink, and record the exchange in the chat log.
 * Failures of the LLM become a short error reply with a reference id; they never throw.
 */
export async function runTurn(input: TurnInput, deps: TurnDeps): Promise<void> {
  const { bot, app, conversationKey, target } = input;
  const log = deps.logger;
  const started = performance.now();
  const conversation = await deps.store.getConversation(bot.id, conversationKey);

  // FastGPT and Dify keep the history themselves; only the new message goes to them.
  const history: ChatTurn[] = app.backend.keepsHistory
    ? []
    : await assembleHistory(
        deps.store,
        bot.id,
        conversationKey,
        conversation.generation,
        app.historyTokenBudget,
      );

  log.info({ attempt: input.run.attempt, historyTurns: history.length }, "answering");
  const sink: AnswerSink = bot.replier.openAnswer(target, {
    conversationKey,
    run: input.run,
  });
  // The card opens while the model works on its first tokens: two Lark calls that would
  // otherwise come before the model call and delay the first text by their round trips.
  const opening = sink.start();
  // Awaited before finishing; until then a failure must not count as unhandled.
  opening.catch(() => {});

  const controller = deps.running.begin(bot.id, target.messageId);
  const timeout = setTimeout(
    () => controller.abort(new BackendError("timeout", "the model did not answer in time")),
    app.timeoutMs,
  );
  let text = "";
  let reasoning = "";
  let promptTokens: number | undefined;
  let completionTokens: number | undefined;
  let totalTokens: number | undefined;
  const citations: Citation[] = [];
  let status: "done" | "stopped" | "error" = "done";
  let errorCode: string | undefined;
  let errorNotice: string | undefined;

  try {
    for await (const part of app.backend.stream({
      conversationKey,
      ...(app.systemPrompt ? { system: app.systemPrompt } : {}),
      history,
      message: input.question,
      ...(input.images ? { images: input.images } : {}),
      ...(input.imageUrls ? { imageUrls: input.imageUrls } : {}),
      user: { openId: input.senderOpenId, chatId: target.chatId, botId: bot.id },
      state: conversation.backendState,
      signal: controller.signal,
    })) {
      switch (part.type) {
        case "text-delta":
          text += part.text;
          sink.update({ text, reasoning });
          break;
        case "text-replace":
          text = part.text;
          sink.update({ text, reasoning });
          break;
        case "reasoning-delta":
          reasoning += part.text;
          sink.update({ text, reasoning });
          break;
        case "usage":
          promptTokens = part.promptTokens ?? promptTokens;
          completionTokens = part.completionTokens ?? completionTokens;
          totalTokens = part.totalTokens ?? totalTokens;
          break;
        case "citation":
          citations.push({ title: part.title, url: part.url, snippet: part.snippet });
          break;
        case "state":
          await deps.store.updateBackendState(bot.id, conversationKey, { [part.key]: part.value });
          break;
      }
    }
    // Some clients end the stream quietly when aborted instead of throwing.
    if (controller.signal.aborted) throw controller.signal.reason;
  } catch (error) {
    const reason = controller.signal.reason;
    if (controller.signal.aborted && !(reason instanceof BackendError)) {
      status = "stopped";
    } else {
      status = "error";
      const failure = reason instanceof BackendError ? reason : error;
      errorCode = failure instanceof BackendError ? failure.code : "internal";
      const ref = randomBytes(4).toString("hex");
      errorNotice = `Sorry, I could not get an answer from the model (${describe(errorCode)}). Reference: ${ref}`;
      log.error(
        {
          ref,
          code: errorCode,
          status: failure instanceof BackendError ? failure.status : undefined,
          err: failure instanceof Error ? { message: failure.message } : undefined,
        },
        "llm call failed",
      );
    }
  } finally {
    clearTimeout(timeout);
    deps.running.end(bot.id, target.messageId, controller);
  }

  const elapsedMs = Math.round(performance.now() - started);
  let answerMessageId: string | undefined;
  try {
    await opening;
    const delivered = await sink.finish({
      text,
      reasoning,
      status,
      errorNotice,
      model: app.backend.model,
      elapsedMs,
      totalTokens,
      citations,
    });
    answerMessageId = delivered.messageId;
  } catch (error) {
    log.error(
      { err: error instanceof Error ? { message: error.message } : undefined },
      "could not deliver the answer to Lark",
    );
    if (status !== "error") {
      status = "error";
      errorCode = "delivery_failed";
    }
  }

  await deps.store.recordExchange({
    botId: bot.id,
    conversationKey,
    generation: conversation.generation,
    chatId: target.chatId,
    senderOpenId: input.senderOpenId,
    messageId: target.messageId,
    // The history keeps text only: a later turn reads that a picture was there, not the picture.
    question: input.question || IMAGE_PLACEHOLDER,
    answer: text,
    reasoning: reasoning || undefined,
    model: app.backend.model,
    promptTokens: promptTokens ?? null,
    completionTokens: completionTokens ?? null,
    latencyMs: elapsedMs,
    error: errorCode ?? null,
    status,
    answerMessageId: answerMessageId ?? null,
  });
  log.info({ status, latencyMs: elapsedMs, chars: text.length }, "answered");
}

function describe(code: string): string {
  switch (code) {
    case "timeout":
      return "it took too long";
    case "rate_limited":
      return "the model is rate-limited, try again shortly";
    case "auth":
      return "the gateway's API key was refused";
    case "empty_answer":
      return "it returned an empty answer";
    default:
      return "the model service failed";
  }
}
