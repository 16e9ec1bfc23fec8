import { createHash } from "node:crypto";
import type { Logger } from "pino";
import {
  BackendError,
  type ChatTurn,
  type FileInput,
  type FileLink,
  type ImageInput,
} from "../backends/backend.js";
import type { WorkflowPause } from "../backends/workflow-pause.js";
import { translator } from "../i18n/translate.js";
import { DeliveryNotRecordedError, type JobRun } from "../intake/job-run.js";
import { currentLeaseFence, LeaseLostError } from "../intake/lease-fence.js";
import { retryOverBlips } from "../intake/retry-over-blips.js";
import type { AnswerFinal } from "../messages/answer.js";
import { IMAGE_PLACEHOLDER } from "../messages/inbound-message.js";
import { JobNotHeldError, type Store } from "../store/store.js";
import { admitQuestion } from "./admit-question.js";
import { turnTuning } from "./ai-modes.js";
import { createAnswerDraft } from "./answer-draft.js";
import { assembleHistory } from "./assemble-history.js";
import type { AppRuntime, BotRuntime } from "./bot-runtime.js";
import { estimateTokens } from "./estimate-tokens.js";
import { pauseCard } from "./pause-cards.js";
import type { AnswerObserver, AnswerSink, ReplyTarget } from "./ports.js";
import type { RunningAnswers } from "./running-answers.js";
import { type TurnFailure, turnFailure } from "./turn-failure.js";
import { hasPlaceholders, placeholderFiller } from "./turn-placeholders.js";

/**
 * Where an answer is cut, with a notice saying so. A runaway model (a loop, a 10 MB dump) would
 * otherwise post hundreds of cards into the chat, far past Lark's 5 messages per second to one
 * user, and hold it all in memory; real answers stay far below (a model's largest output, 16k
 * to 64k tokens, is about 64k to 250k characters of English; 100k fills four cards).
 */
export const MAX_ANSWER_CHARS = 100_000;

export interface TurnInput {
  bot: BotRuntime;
  app: AppRuntime;
  conversationKey: string;
  target: ReplyTarget;
  run: JobRun;
  senderOpenId: string;
  /** The text of the question; empty when it is only images. */
  question: string;
  /**
   * What the history and the chat log keep of the question, when the model reads it otherwise
   * (pictures that came in earlier messages are marked here, while the model sees them).
   */
  recordedQuestion?: string;
  /** Pictures sent with it, downloaded, for an app whose model takes them inline. */
  images?: ImageInput[];
  /** Pictures sent with it, as signed links, for an app that fetches them. */
  imageUrls?: string[];
  /** Files sent with it, as signed links, for an app that fetches them. */
  fileUrls?: FileLink[];
  /** Files sent with it, downloaded whole, for a model that reads them itself. */
  files?: FileInput[];
  /** The question was spoken: the words heard, which the answer shows first. */
  heard?: string;
}

/**
 * How long a workflow's pause card can be answered. Shorter than the dedup keys are kept
 * (DEDUP_RETENTION_MS, a day), so the key that lets one press through outlives every pause.
 */
export const PAUSE_TTL_MS = 12 * 60 * 60 * 1000;

export interface TurnDeps {
  store: Store;
  running: RunningAnswers;
  logger: Logger;
  observe?: AnswerObserver;
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
  // Whatever this turn sends answers the app's open question, so older pause cards go stale.
  if (app.backend.keepsHistory) await deps.store.closePauses(bot.id, conversationKey);

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

  // The role, answer style and model the user chose for this conversation, over the app's.
  const tuning = turnTuning(conversation.settings, app);
  const model = tuning.model ?? app.backend.model;
  const admitted = await admitQuestion(
    {
      bot,
      app,
      target,
      run: input.run,
      senderOpenId: input.senderOpenId,
      promptTokens: history.reduce(
        (sum, turn) => sum + estimateTokens(turn.content),
        estimateTokens(input.question),
      ),
      model,
    },
    deps.store,
    log,
  );
  if ("refused" in admitted) {
    // In the chat log with its reason, never in the history; the job is finished with it.
    await deps.store.recordExchange(
      {
        botId: bot.id,
        conversationKey,
        generation: conversation.generation,
        chatId: target.chatId,
        senderOpenId: input.senderOpenId,
        messageId: target.messageId,
        question: input.recordedQuestion ?? (input.question || IMAGE_PLACEHOLDER),
        answer: "",
        model,
        latencyMs: Math.round(performance.now() - started),
        error: admitted.refused,
        status: "error",
      },
      Date.now(),
      input.run.hold,
    );
    return;
  }

  log.info({ attempt: input.run.attempt, historyTurns: history.length }, "answering");
  const sink: AnswerSink = bot.replier.openAnswer(target, {
    conversationKey,
    run: input.run,
    ...(input.heard !== undefined ? { heard: input.heard } : {}),
    ...(app.pictureHosts.length > 0 ? { pictureHosts: app.pictureHosts } : {}),
  });
  const controller = deps.running.begin(bot.id, target.messageId);
  // The card opens while the model works on its first tokens: two Lark calls that would
  // otherwise come before the model call and delay the first text by their round trips.
  const opening = sink.start();
  // Awaited before finishing; until then a failure must not count as unhandled. One that
  // leaves the job to a later run stops the model at once.
  opening.catch((error: unknown) => {
    if (error instanceof DeliveryNotRecordedError) controller.abort(error);
  });
  // A run that lost its job's lease stops paying for the model too.
  const fence = currentLeaseFence();
  const onLeaseLost = () => controller.abort(new LeaseLostError("the rest of the model's answer"));
  fence?.signal.addEventListener("abort", onLeaseLost, { once: true });
  const timeout = setTimeout(
    () => controller.abort(new BackendError("timeout", "the model did not answer in time")),
    app.timeoutMs,
  );
  const draft = createAnswerDraft();
  let failure: TurnFailure | undefined;
  const called = performance.now();
  let firstTextAt: number | undefined;
  let pause: WorkflowPause | undefined;
  // Who asks, where, and when: filled into the app's variables and system prompt.
  const templates = [tuning.system, ...Object.values(app.variables ?? {})];
  // Without placeholders the model is called at once, as the card opens.
  const fill = !hasPlaceholders(templates)
    ? (text: string) => text
    : await placeholderFiller(
        templates,
        {
          senderOpenId: input.senderOpenId,
          chatId: target.chatId,
          conversationKey,
          ...(app.timeZone ? { timeZone: app.timeZone } : {}),
          now: new Date(),
        },
        bot.directory,
      );
  const variables = app.variables
    ? Object.fromEntries(Object.entries(app.variables).map(([key, value]) => [key, fill(value)]))
    : undefined;
  try {
    for await (const part of app.backend.stream({
      conversationKey,
      ...tuning,
      ...(tuning.system ? { system: fill(tuning.system) } : {}),
      ...(variables ? { variables } : {}),
      history,
      message: input.question,
      ...(input.images ? { images: input.images } : {}),
      ...(input.imageUrls ? { imageUrls: input.imageUrls } : {}),
      ...(input.fileUrls ? { fileUrls: input.fileUrls } : {}),
      ...(input.files ? { files: input.files } : {}),
      user: { openId: input.senderOpenId, chatId: target.chatId, botId: bot.id },
      state: conversation.backendState,
      signal: controller.signal,
    })) {
      if (part.type === "state") {
        await deps.store.updateBackendState(bot.id, conversationKey, { [part.key]: part.value });
      } else if (part.type === "pause") {
        pause = part.pause;
      } else if (draft.apply(part)) {
        if (part.type === "text-delta") firstTextAt ??= performance.now();
        if (draft.text.length > MAX_ANSWER_CHARS) {
          draft.text = draft.text.slice(0, MAX_ANSWER_CHARS);
          sink.update(draft.snapshot());
          controller.abort(
            new BackendError("too_long", `the answer went past ${MAX_ANSWER_CHARS} characters`),
          );
          break;
        }
        sink.update(draft.snapshot());
      }
    }
    // Some clients end the stream quietly when aborted instead of throwing.
    if (controller.signal.aborted) throw controller.signal.reason;
  } catch (error) {
    const reason: unknown = controller.signal.reason;
    if (reason instanceof LeaseLostError || reason instanceof DeliveryNotRecordedError)
      throw reason;
    failure = turnFailure(error, controller.signal, translator(bot.language));
    if (failure.status === "error") {
      const { cause } = failure;
      log.error(
        {
          ref: failure.ref,
          code: failure.code,
          status: cause instanceof BackendError ? cause.status : undefined,
          err: cause instanceof Error ? { message: cause.message } : undefined,
        },
        "llm call failed",
      );
    }
  } finally {
    clearTimeout(timeout);
    fence?.signal.removeEventListener("abort", onLeaseLost);
    deps.running.end(bot.id, target.messageId, controller);
  }
  if (pause && !failure && draft.text.trim() === "") {
    // The question itself is on the card below; the answer card says where to look.
    draft.text = translator(bot.language)("pause.see_card");
  }
  const elapsedMs = Math.round(performance.now() - started);
  const final: AnswerFinal = {
    ...draft.snapshot(),
    status: failure?.status ?? "done",
    ...(failure?.status === "error" ? { errorNotice: failure.notice } : {}),
    model: tuning.model ?? app.backend.model,
    elapsedMs,
    ...(draft.totalTokens !== undefined ? { totalTokens: draft.totalTokens } : {}),
    citations: draft.citations,
    ...(draft.files.length > 0 ? { files: draft.files } : {}),
  };
  const delivered = await deliver(sink, opening, final, log);
  // An answer nobody saw is a failure in the chat log, whatever the model did.
  const status = delivered ? final.status : "error";
  const errorCode =
    failure?.status === "error" ? failure.code : delivered ? undefined : "delivery_failed";

  if (pause && delivered && !failure) await askBack(input, pause, conversation.generation, deps);

  // What the budgets learn the answer used, in the transaction that records it.
  const settlement = admitted.settle({
    failed: status === "error",
    promptTokens: draft.promptTokens,
    completionTokens: draft.completionTokens,
    estimatedCompletion: estimateTokens(draft.text) + estimateTokens(draft.reasoning),
  });
  await recordOverBlips(input.run, log, () =>
    deps.store.recordExchange(
      {
        botId: bot.id,
        conversationKey,
        generation: conversation.generation,
        chatId: target.chatId,
        senderOpenId: input.senderOpenId,
        messageId: target.messageId,
        // The history keeps text only: a later turn reads that a picture was there, not the picture.
        question: input.recordedQuestion ?? (input.question || IMAGE_PLACEHOLDER),
        answer: draft.text,
        reasoning: draft.reasoning || undefined,
        model: tuning.model ?? app.backend.model,
        promptTokens: draft.promptTokens ?? null,
        completionTokens: draft.completionTokens ?? null,
        latencyMs: elapsedMs,
        error: errorCode ?? null,
        status,
        answerMessageId: delivered?.messageId ?? null,
      },
      Date.now(),
      // The answer joins the history in the same transaction that finishes its job, and the
      // budgets learn what it used in that transaction too.
      input.run.hold,
      settlement,
    ),
  );
  log.info({ status, latencyMs: elapsedMs, chars: draft.text.length }, "answered");
  deps.observe?.({
    botId: bot.id,
    app: app.name,
    outcome: errorCode ?? status,
    ...(firstTextAt !== undefined ? { firstTextMs: firstTextAt - called } : {}),
    totalMs: performance.now() - called,
    ...(draft.promptTokens !== undefined ? { promptTokens: draft.promptTokens } : {}),
    ...(draft.completionTokens !== undefined ? { completionTokens: draft.completionTokens } : {}),
  });
}

/**
 * Keeps the workflow's pause and shows it as a card under the answer. Stored first, so a press
 * always finds it; its id comes from the answer's key, so a job run again saves and shows the
 * same pause once. A card that cannot be shown is logged: the user can still type the answer.
 */
async function askBack(
  input: TurnInput,
  pause: WorkflowPause,
  generation: number,
  deps: TurnDeps,
): Promise<void> {
  const { bot, target, conversationKey } = input;
  const id = createHash("sha256")
    .update(`${bot.id}\n${target.idempotencyKey}`)
    .digest("hex")
    .slice(0, 24);
  const now = Date.now();
  await deps.store.savePause({
    id,
    botId: bot.id,
    conversationKey,
    generation,
    chatId: target.chatId,
    messageId: target.messageId,
    ownerOpenId: input.senderOpenId,
    spec: pause,
    createdAt: now,
    expiresAt: now + PAUSE_TTL_MS,
  });
  try {
    await bot.replier.card(
      target,
      pauseCard(id, pause, conversationKey, translator(bot.language)),
      `pause-${id}`,
    );
    deps.logger.info({ pause: id, kind: pause.kind }, "workflow paused for the user");
  } catch (error) {
    deps.logger.error(
      { pause: id, err: error instanceof Error ? { message: error.message } : undefined },
      "could not show the workflow's question as a card",
    );
  }
}

/** Shows the final answer once the card is open; undefined when it could not be shown at all. */
async function deliver(
  sink: AnswerSink,
  opening: Promise<void>,
  final: AnswerFinal,
  log: Logger,
): Promise<{ messageId?: string } | undefined> {
  try {
    await opening;
    return await sink.finish(final);
  } catch (error) {
    if (error instanceof DeliveryNotRecordedError) throw error;
    log.error(
      { err: error instanceof Error ? { message: error.message } : undefined },
      "could not deliver the answer to Lark",
    );
    return undefined;
  }
}

/** Waits between tries of recording a shown answer: a few seconds in all, a blip of the store. */
const RECORD_RETRY_MS = [250, 500, 1_000, 2_000] as const;

/**
 * Records a shown answer, trying again while the store is briefly out of reach: the user has
 * read it, and a job left unfinished would be answered again (its card marked interrupted).
 * Only under the job's hold, which makes a try after one that did commit fail with
 * JobNotHeldError instead of recording the answer twice; a lost lease ends the tries too.
 */
async function recordOverBlips(run: JobRun, log: Logger, record: () => Promise<unknown>) {
  if (!run.hold) {
    await record();
    return;
  }
  await retryOverBlips(record, RECORD_RETRY_MS, {
    final: (error) => error instanceof JobNotHeldError || error instanceof LeaseLostError,
    onRetry: (error, wait) =>
      log.warn({ err: error, retryInMs: wait }, "could not record the answer; trying again"),
  });
}
