import { pino } from "pino";
import type { Backend, BackendPart, BackendRequest } from "../../src/backends/backend.js";
import type { PictureData } from "../../src/backends/picture-maker.js";
import type { AppRuntime, BotRuntime } from "../../src/conversation/bot-runtime.js";
import { DEFAULT_COMMANDS } from "../../src/conversation/commands.js";
import { handleMessage } from "../../src/conversation/handle-message.js";
import { answerJob } from "../../src/conversation/jobs/answer-job.js";
import type { ConversationJobDeps } from "../../src/conversation/jobs/job-deps.js";
import { legacyCardActionJob, regenerateJob } from "../../src/conversation/jobs/regenerate-job.js";
import type { AnswerContext, Replier, ReplyTarget } from "../../src/conversation/ports.js";
import { createRunningAnswers } from "../../src/conversation/running-answers.js";
import { createToolbarPress } from "../../src/conversation/toolbar-press.js";
import { fencedStore } from "../../src/intake/fenced-store.js";
import { createIntake } from "../../src/intake/intake.js";
import type { JobRun } from "../../src/intake/job-run.js";
import { createJobRunner } from "../../src/intake/run-job.js";
import { createWorker, type Worker } from "../../src/intake/worker.js";
import type { AnswerFinal, AnswerSnapshot } from "../../src/messages/answer.js";
import { conversationKey } from "../../src/messages/conversation-key.js";
import type { InboundMessage } from "../../src/messages/inbound-message.js";
import type { InfoCard } from "../../src/messages/info-card.js";
import { createStore } from "../../src/store/create-store.js";
import type { Store } from "../../src/store/store.js";

/** One answer as the user would see it, recorded by the fake replier. */
export interface RecordedAnswer {
  target: ReplyTarget;
  context: AnswerContext;
  snapshots: AnswerSnapshot[];
  final?: AnswerFinal;
  finished: Promise<AnswerFinal>;
}

/** The Replier port, recording what a channel would show. */
export function createRecordingReplier() {
  const answers: RecordedAnswer[] = [];
  const notices: { target: ReplyTarget; text: string }[] = [];
  const cards: { target?: ReplyTarget; chatId?: string; card: InfoCard }[] = [];
  const pictures: { target: ReplyTarget; picture: PictureData; card: InfoCard }[] = [];
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const w of [...waiters]) w();
  };
  const replier: Replier = {
    async notice(target, text) {
      notices.push({ target, text });
      wake();
    },
    async card(target, card) {
      cards.push({ target, card });
      wake();
    },
    async sendCard(chatId, card) {
      cards.push({ chatId, card });
      wake();
    },
    async picture(target, make, cardFor) {
      const picture = await make();
      pictures.push({ target, picture, card: cardFor(`picture_${pictures.length + 1}`, picture) });
      wake();
    },
    openAnswer(target, context) {
      let done!: (final: AnswerFinal) => void;
      const answer: RecordedAnswer = {
        target,
        context,
        snapshots: [],
        finished: new Promise((resolve) => {
          done = resolve;
        }),
      };
      answers.push(answer);
      wake();
      return {
        async start() {},
        update(snapshot) {
          answer.snapshots.push({ ...snapshot });
          wake();
        },
        async finish(final) {
          answer.final = final;
          done(final);
          wake();
          return { messageId: `om_answer_${answers.length}` };
        },
      };
    },
  };
  /** Resolves once `check` holds after something was shown. */
  const until = (check: () => boolean) =>
    new Promise<void>((resolve) => {
      const test = () => {
        if (!check()) return;
        waiters.delete(test);
        resolve();
      };
      waiters.add(test);
      test();
    });
  return { replier, answers, notices, cards, pictures, until };
}

/** What one scripted model call does: the parts it yields, given the request. */
export type Script = (request: BackendRequest) => AsyncIterable<BackendPart>;

/** A Backend whose every call is scripted in order and recorded. */
export function createScriptedBackend() {
  const requests: BackendRequest[] = [];
  const scripts: Script[] = [];
  let fallback: Script = async function* (request) {
    yield { type: "text-delta", text: `echo: ${request.message}` };
  };
  const backend: Backend = {
    model: "scripted-model",
    keepsHistory: false,
    pictures: "inline",
    stream(request) {
      requests.push(request);
      return (scripts.shift() ?? fallback)(request);
    },
  };
  return {
    backend,
    requests,
    script: (s: Script) => void scripts.push(s),
    setDefault: (s: Script) => {
      fallback = s;
    },
  };
}

/** Yields `parts`, then waits for the abort (a model that stops sending but keeps the socket). */
export function stallAfter(...parts: BackendPart[]): Script {
  return async function* (request) {
    for (const part of parts) yield part;
    await new Promise((_, reject) => {
      if (request.signal.aborted) reject(request.signal.reason);
      request.signal.addEventListener("abort", () => reject(request.signal.reason), {
        once: true,
      });
    });
  };
}

export const quiet = pino({ level: "silent" });

let ids = 0;
/** An InboundMessage as intake stores it: from Alice, p2p unless told otherwise. */
export function inbound(text: string, fields: Partial<InboundMessage> = {}): InboundMessage {
  ids += 1;
  return {
    botId: "bot",
    eventId: `ev_${ids}`,
    messageId: `om_${ids}`,
    chatId: "oc_p2p",
    chatType: "p2p",
    sender: { openId: "ou_alice", type: "user" },
    messageType: "text",
    text,
    mentions: [],
    mentionsAll: false,
    createTime: String(Date.now()),
    unsupported: false,
    ...fields,
  };
}

/**
 * The answer path wired as the gateway wires it (store, intake, job runner, worker, toolbar),
 * with the recording replier and a scripted backend in place of Lark and the model.
 */
export async function createAnswerPath(
  options: {
    leaseMs?: number;
    timeoutMs?: number;
    /** A channel's real replier instead of the recording one (its answers are not recorded). */
    replier?: Replier;
  } = {},
) {
  const store: Store = await createStore("sqlite::memory:");
  const shown = createRecordingReplier();
  const model = createScriptedBackend();
  const running = createRunningAnswers();
  const app: AppRuntime = {
    name: "app",
    kind: "openai",
    backend: model.backend,
    historyTokenBudget: 4000,
    timeoutMs: options.timeoutMs ?? 30_000,
    vision: false,
    fileMaxBytes: 20 * 1024 * 1024,
    fileTokenBudget: 12_000,
    pictureHosts: [],
    nativeFiles: [],
    models: [],
    tunable: true,
  };
  const bot: BotRuntime = {
    id: "bot",
    language: "en",
    groupTrigger: "mention",
    commands: DEFAULT_COMMANDS,
    confirmClear: true,
    roles: [],
    name: "",
    botOpenId: async () => "ou_bot",
    replier: options.replier ?? shown.replier,
    appFor: () => app,
    mayAnswer: () => true,
    readMessage: async () => undefined,
    imageLink: () => undefined,
    fileLink: () => undefined,
    downloadFile: async () => {
      throw new Error("no files here");
    },
    readForward: async () => {
      throw new Error("no forwarded chats here");
    },
    downloadImage: async () => {
      throw new Error("no pictures here");
    },
    sentPicture: async () => {
      throw new Error("no pictures here");
    },
    downloadAudio: async () => {
      throw new Error("no voice here");
    },
  };
  const deps: ConversationJobDeps = {
    bot: (id) => (id === bot.id ? bot : undefined),
    store: fencedStore(store),
    running,
    staleAfterMs: () => 0,
  };
  const workers: Worker[] = [];
  let wake = () => {};
  const intake = createIntake({ store, onAccepted: () => wake() });
  /** A worker (a replica's), running the gateway's job kinds. */
  function startWorker(owner = `worker-${workers.length + 1}`) {
    const worker = createWorker({
      store,
      logger: quiet,
      owner,
      concurrency: 4,
      leaseMs: options.leaseMs ?? 60_000,
      pollMs: 20,
      handle: createJobRunner({
        store,
        logger: quiet,
        kinds: [answerJob(deps), regenerateJob(deps), legacyCardActionJob(deps)],
      }),
    });
    worker.start();
    workers.push(worker);
    wake = () => {
      for (const w of workers) w.wake();
    };
    return worker;
  }
  const press = createToolbarPress({
    store,
    intake,
    running,
    logger: quiet,
    bot: deps.bot,
  });
  /** One message through handleMessage, as the worker runs it (attempt 1), without intake. */
  async function answer(text: string, fields: Partial<InboundMessage> = {}) {
    const message = inbound(text, fields);
    const run: JobRun = { id: 1, attempt: 1, recordDelivery: async () => {} };
    await handleMessage(bot, run, conversationKey(message), message, {
      store,
      running,
      logger: quiet,
    });
    return message;
  }
  return {
    answer,
    store,
    bot,
    app,
    model,
    running,
    intake,
    press,
    shown,
    startWorker,
    async close() {
      running.abortAll();
      await Promise.all(workers.map((w) => w.close(2_000)));
      await store.close();
    },
  };
}

export type AnswerPath = Awaited<ReturnType<typeof createAnswerPath>>;
