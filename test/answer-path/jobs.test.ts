import { afterEach, describe, expect, it } from "vitest";
import { REGENERATE_JOB } from "../../src/conversation/jobs/regenerate-job.js";
import { recallQuestion } from "../../src/conversation/recall-question.js";
import { MESSAGE_JOB } from "../../src/intake/intake.js";
import { conversationKey } from "../../src/messages/conversation-key.js";
import { encodeToolbarValue } from "../../src/messages/toolbar-action.js";
import { type AnswerPath, createAnswerPath, inbound, stallAfter } from "./harness.js";

let path: AnswerPath | undefined;
afterEach(async () => {
  await path?.close();
  path = undefined;
});

const pressBy = (p: AnswerPath, value: object, operator = "ou_alice", eventId?: string) =>
  p.press("bot", {
    botId: "bot",
    operatorOpenId: operator,
    value: value as Record<string, unknown>,
    ...(eventId ? { eventId } : {}),
  });

describe("jobs through intake and the worker, in process", () => {
  it("stops a streaming answer from its Stop button, and refuses another member's press", async () => {
    path = await createAnswerPath();
    path.startWorker();
    path.model.script(stallAfter({ type: "text-delta", text: "so far" }));
    const message = inbound("@_user_1 tell me", {
      chatType: "group",
      chatId: "oc_g",
      mentions: [{ key: "@_user_1", openId: "ou_bot", name: "bot" }],
    });
    await path.intake.acceptMessage(message);
    await path.shown.until(() => path!.shown.answers[0]?.snapshots.length === 1);
    const stop = encodeToolbarValue({
      action: "stop",
      messageId: message.messageId,
      conversationKey: conversationKey(message),
    });
    expect((await pressBy(path, stop, "ou_bob")).toast?.content).toMatch(/someone else/);
    expect(path.shown.answers[0]!.final).toBeUndefined();
    expect((await pressBy(path, stop)).toast?.content).toMatch(/Stopping/);
    const final = await path.shown.answers[0]!.finished;
    expect(final).toMatchObject({ status: "stopped", text: "so far" });
  });

  it("regenerates once per press, and the old answer leaves the history", async () => {
    path = await createAnswerPath();
    path.startWorker();
    const message = inbound("pick a number");
    path.model.script(async function* () {
      yield { type: "text-delta", text: "4" };
    });
    path.model.script(async function* () {
      yield { type: "text-delta", text: "7" };
    });
    await path.intake.acceptMessage(message);
    await path.shown.until(() => path!.shown.answers.length === 1);
    await path.shown.answers[0]!.finished;
    const value = encodeToolbarValue({
      action: "regenerate",
      messageId: message.messageId,
      conversationKey: conversationKey(message),
    });
    await pressBy(path, value, "ou_alice", "ev_press");
    expect(await pressBy(path, value, "ou_alice", "ev_press")).toEqual({}); // Lark's re-delivery
    await path.shown.until(() => path!.shown.answers.length === 2);
    expect((await path.shown.answers[1]!.finished).text).toBe("7");
    await path.intake.acceptMessage(inbound("and now?", { chatId: message.chatId }));
    await path.shown.until(() => path!.shown.answers.length === 3);
    await path.shown.answers[2]!.finished;
    expect(path.model.requests[2]!.history.map((t) => t.content)).toEqual(["pick a number", "7"]);
    const jobs = await Promise.all([1, 2, 3, 4].map((id) => path!.store.getJob(id)));
    expect(jobs.filter((j) => j?.kind === REGENERATE_JOB)).toHaveLength(1);
  });

  it("never answers a recalled question that was still waiting", async () => {
    path = await createAnswerPath();
    const message = inbound("never mind");
    await path.intake.acceptMessage(message);
    await recallQuestion("bot", message.messageId, { store: path.store, running: path.running });
    path.startWorker();
    await path.intake.acceptMessage(inbound("a later one", { chatId: message.chatId }));
    await path.shown.until(() => path!.shown.answers.length === 1);
    expect(path.model.requests.map((r) => r.message)).toEqual(["a later one"]);
  });

  it("takes over a job whose worker died after its lease, as attempt 2 with a new key", async () => {
    path = await createAnswerPath({ leaseMs: 1_000 });
    const message = inbound("are you there?");
    await path.intake.acceptMessage(message);
    // A replica claims the job, shows a card, and dies without renewing its lease.
    const claimed = await path.store.claimJob("dead-replica", 1_000);
    expect(claimed?.kind).toBe(MESSAGE_JOB);
    await path.store.recordDelivery(claimed!.id, "dead-replica", { messageId: "om_half" });
    path.startWorker("survivor");
    await path.shown.until(() => path!.shown.answers.length === 1);
    const answer = path.shown.answers[0]!;
    expect(answer.context.run.attempt).toBe(2);
    expect(answer.context.run.previousDelivery).toEqual({ messageId: "om_half" });
    expect(answer.target.idempotencyKey).toBe(`a2-${message.messageId}`);
    expect((await answer.finished).status).toBe("done");
  });
});
