import { readFileSync } from "node:fs";
import { en } from "../../src/i18n/en.js";
import { zh } from "../../src/i18n/zh.js";
import type { Store } from "../../src/store/store.js";
import type { FakeLark, FakeMessage } from "../../test/kit/fake-lark.js";
import { messageText } from "../../test/kit/message-text.js";
import { answerEnd, type Rig } from "./rig.js";

const INTERRUPTED = [en["card.interrupted"], zh["card.interrupted"]];
/** The start of the error notice in both languages (what the user reads when a turn failed). */
export const ERROR_NOTICE = [en["error.notice"], zh["error.notice"]].map((t) =>
  t.slice(0, t.indexOf("{reason}")).replace(/[(（]\s*$/, ""),
);

/** How the bot's replies to one question look to the user once everything settled. */
export interface QuestionVerdict {
  /** Replies showing the complete answer in its final form. */
  complete: number;
  /** Cards a run left behind and its successor marked interrupted (the user is told). */
  interrupted: number;
  /** Replies that say the turn failed (the error notice with its reference id). */
  failed: number;
  /** Anything else: a card stuck mid-stream, or a cut answer nobody marked. */
  broken: number;
  /** What the broken replies look like, for the report. */
  brokenSamples: string[];
}

function isSettled(message: FakeMessage): boolean {
  if (!message.card) return true;
  return message.card.streaming === false && message.card.fullUpdates.length > 0;
}

/**
 * The bot's replies by the message they answer, in one pass: judging thousands of questions
 * by filtering every message for each took the runner (which is also the fakes' process)
 * seconds per look in the full suite, and starved the fakes the gateway was waiting on.
 */
export function repliesByQuestion(lark: FakeLark): Map<string, FakeMessage[]> {
  const replies = new Map<string, FakeMessage[]>();
  for (const message of lark.messages) {
    if (message.deleted || message.replyTo === undefined) continue;
    const list = replies.get(message.replyTo);
    if (list) list.push(message);
    else replies.set(message.replyTo, [message]);
  }
  return replies;
}

export function judgeQuestion(
  lark: FakeLark,
  messageId: string,
  question: string,
  replies: FakeMessage[] = repliesByQuestion(lark).get(messageId) ?? [],
): QuestionVerdict {
  const verdict: QuestionVerdict = {
    complete: 0,
    interrupted: 0,
    failed: 0,
    broken: 0,
    brokenSamples: [],
  };
  for (const reply of replies) {
    const text = messageText(reply);
    if (INTERRUPTED.some((notice) => text.includes(notice))) verdict.interrupted++;
    else if (isSettled(reply) && text.includes(answerEnd(question))) verdict.complete++;
    else if (isSettled(reply) && ERROR_NOTICE.some((notice) => text.includes(notice)))
      verdict.failed++;
    else {
      verdict.broken++;
      verdict.brokenSamples.push(
        `${reply.card ? `card streaming=${reply.card.streaming} updates=${reply.card.fullUpdates.length}` : reply.msgType}: ${JSON.stringify(text.slice(0, 80))}`,
      );
    }
  }
  return verdict;
}

/**
 * Figures over many questions: lost (neither a complete answer nor an error notice: the user
 * is left waiting), failed (no complete answer, but the user was told), duplicated (more than
 * one complete answer).
 */
export interface DeliveryFigures {
  questions: number;
  lost: number;
  failed: number;
  duplicated: number;
  interrupted: number;
  broken: number;
  brokenSamples: string[];
}

export function judgeAll(lark: FakeLark, questions: Map<string, string>): DeliveryFigures {
  const figures: DeliveryFigures = {
    questions: questions.size,
    lost: 0,
    failed: 0,
    duplicated: 0,
    interrupted: 0,
    broken: 0,
    brokenSamples: [],
  };
  const replies = repliesByQuestion(lark);
  for (const [messageId, question] of questions) {
    const verdict = judgeQuestion(lark, messageId, question, replies.get(messageId) ?? []);
    if (verdict.complete === 0 && verdict.failed === 0) figures.lost++;
    if (verdict.complete === 0 && verdict.failed > 0) figures.failed++;
    if (verdict.complete > 1) figures.duplicated += verdict.complete - 1;
    figures.interrupted += verdict.interrupted;
    figures.broken += verdict.broken;
    figures.brokenSamples.push(...verdict.brokenSamples);
  }
  return figures;
}

/**
 * A check for `until`: true once every question (those added later too) has a complete answer
 * or an error notice. A question is judged again only while it waits, so the check stays
 * cheap however many were asked before.
 */
export function allAnswered(lark: FakeLark, questions: Map<string, string>): () => boolean {
  const answered = new Set<string>();
  return () => {
    const replies = repliesByQuestion(lark);
    let waiting = 0;
    for (const [messageId, question] of questions) {
      if (answered.has(messageId)) continue;
      const verdict = judgeQuestion(lark, messageId, question, replies.get(messageId) ?? []);
      if (verdict.complete > 0 || verdict.failed > 0) answered.add(messageId);
      else waiting++;
    }
    return waiting === 0;
  };
}

/**
 * The chat log as history: each question recorded once, answered completely. Returns the
 * questions whose history is not intact (missing, doubled, or cut).
 */
export async function historyProblems(
  store: Store,
  botId: string,
  questions: Map<string, string>,
  /** Questions the user was told had failed (no history expected); see judgeQuestion. */
  failed: (messageId: string) => boolean = () => false,
): Promise<string[]> {
  const exchanges = await store.listExchanges({ botId, limit: 1_000_000 });
  const byMessage = new Map<string, typeof exchanges>();
  for (const exchange of exchanges) {
    const list = byMessage.get(exchange.messageId) ?? [];
    list.push(exchange);
    byMessage.set(exchange.messageId, list);
  }
  const problems: string[] = [];
  for (const [messageId, question] of questions) {
    if (failed(messageId)) continue;
    const recorded = (byMessage.get(messageId) ?? []).filter((e) => e.inHistory);
    if (recorded.length !== 1)
      problems.push(`${messageId}: ${recorded.length} exchanges in history`);
    else if (!recorded[0]!.answer.includes(answerEnd(question)))
      problems.push(`${messageId}: the recorded answer is cut`);
  }
  return problems;
}

/** Every configured secret found in any log file: file and secret name. */
export function secretsInLogs(files: string[], secrets: Record<string, string>): string[] {
  const found: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const [name, value] of Object.entries(secrets)) {
      if (value && text.includes(value)) found.push(`${name} in ${file}`);
    }
  }
  return found;
}

/**
 * A scenario's end, once its answers settled: the figures over its questions, the history read
 * back from the store (questions the user was told had failed need none), and what is wrong
 * with either, in the report's words.
 */
export async function judgeRun(rig: Rig, questions: Map<string, string>) {
  const figures = judgeAll(rig.lark, questions);
  const store = await rig.openStore();
  const replies = repliesByQuestion(rig.lark);
  const history = await historyProblems(store, "default", questions, (id) => {
    const verdict = judgeQuestion(rig.lark, id, questions.get(id) ?? "", replies.get(id) ?? []);
    return verdict.complete === 0 && verdict.failed > 0;
  }).finally(() => store.close());
  const problems = [
    ...(figures.lost > 0 ? [`${figures.lost} questions never answered`] : []),
    ...(figures.duplicated > 0 ? [`${figures.duplicated} answers shown twice`] : []),
    ...(history.length > 0 ? [`history: ${history.slice(0, 5).join("; ")}`] : []),
    ...(figures.broken > 0
      ? [
          `${figures.broken} replies left half-written, unmarked: ${figures.brokenSamples.slice(0, 3).join(" / ")}`,
        ]
      : []),
  ];
  return { figures, history, problems };
}
