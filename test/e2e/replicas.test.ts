import { describe, expect, it } from "vitest";
import { messageText } from "../kit/fake-lark.js";
import {
  createSchemaFactory,
  postgresTestUrl,
  postgresUnreachable,
} from "../store/postgres-test-database.js";
import { buttonValue, isFinishedCard } from "./card-helpers.js";
import { repliesTo, useE2eKit } from "./e2e-kit.js";
import type { GatewayProcess } from "./gateway-process.js";

const unreachable = await postgresUnreachable(postgresTestUrl);
if (unreachable && process.env.CI) {
  throw new Error(`PostgreSQL must be reachable in CI at ${postgresTestUrl}: ${unreachable}`);
}

/**
 * Two gateway processes on one PostgreSQL database, as behind a load balancer: every message
 * is answered exactly once, a replica's death mid-answer is recovered, Stop works across them.
 */
describe.skipIf(Boolean(unreachable))("several replicas on PostgreSQL (e2e)", () => {
  const kit = useE2eKit({
    replicas: 2,
    database: createSchemaFactory(postgresTestUrl),
    chatPrefix: "rep",
    env: (k) => ({ ...k.defaultBotEnv(), JOB_LEASE_MS: "2000" }),
  });

  const push = (replica: GatewayProcess, envelope: object, path = "event") =>
    kit.push(envelope, path, { to: replica });
  /** Which replica is producing the answer to this message. */
  const runnerOf = async (messageId: string) => {
    const logs = await Promise.any(
      kit.gateways.map((r) =>
        r
          .waitForLog((l) => l.msg === "answering" && l.messageId === messageId, 10_000)
          .then(() => r),
      ),
    );
    return logs;
  };

  it("answers each message exactly once when deliveries spread over both and repeat on both", async () => {
    const events = Array.from({ length: 20 }, (_, i) => kit.message(`question ${i}`));
    await Promise.all(
      events.map(async (e, i) => {
        await push(kit.gateways[i % 2]!, e);
        await push(kit.gateways[(i + 1) % 2]!, e); // Lark re-delivers to the other replica
      }),
    );
    for (const e of events) {
      await kit.answersTo(e.event.message.message_id, { card: true, timeoutMs: 15_000 });
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const e of events) {
      expect(kit.lark.messages.filter(repliesTo(e.event.message.message_id))).toHaveLength(1);
    }
    expect(kit.llm.requests).toHaveLength(20);
    // Both replicas did work.
    for (const replica of kit.gateways) {
      expect(replica.logs.some((l) => l.msg === "answered")).toBe(true);
    }
  });

  it("keeps a conversation's turns in order across replicas", async () => {
    const chatId = "oc_rep_order";
    for (const [i, text] of ["one", "two", "three"].entries()) {
      await push(kit.gateways[i % 2]!, kit.message(`turn ${text}`, { chatId }));
    }
    const requests = await kit.llm.waitForRequests(3, 15_000);
    await kit.lark.waitForMessages(3, (m) => isFinishedCard(m), 15_000);
    const asked = (i: number) =>
      (requests[i]!.body.messages as Array<{ role: string; content: string }>)
        .filter((m) => m.role === "user")
        .map((m) => m.content);
    expect(asked(2)).toEqual(["turn one", "turn two", "turn three"]);
  });

  it("stops an answer running on one replica when Stop is pressed through the other", async () => {
    kit.llm.script({ chunks: Array.from({ length: 200 }, (_, i) => `s${i} `), chunkDelayMs: 40 });
    const question = kit.message("long answer to stop");
    const messageId = question.event.message.message_id;
    await push(kit.gateways[0]!, question);
    const runner = await runnerOf(messageId);
    const other = kit.gateways.find((r) => r !== runner)!;
    const [live] = await kit.lark.waitForMessages(
      1,
      (m) => repliesTo(messageId)(m) && (m.card?.contentUpdates.length ?? 0) > 0,
      10_000,
    );
    const press = kit.cardAction({
      value: buttonValue(live!.card!.json, "Stop")!,
      messageId: live!.messageId,
      chatId: question.event.message.chat_id,
    });
    const ack = await push(other, press, "card");
    expect(JSON.parse(ack.body).toast.content).toMatch(/stopping/i);
    await kit.lark.waitFor(() => isFinishedCard(live!), 10_000);
    expect(messageText(live!)).toMatch(/stopped/i);
    expect(messageText(live!)).not.toContain("s199");
    await runner.waitForLog((l) => l.msg === "stopped on request of another replica");
  });

  it("completes an answer on the surviving replica after the other is killed mid-answer", async () => {
    const chunks = Array.from({ length: 100 }, (_, i) => `k${i} `);
    kit.llm.script({ chunks, chunkDelayMs: 50 }); // the run that dies
    kit.llm.script({ chunks, chunkDelayMs: 2 }); // the run that takes over
    const question = kit.message("survive a crash");
    const messageId = question.event.message.message_id;
    await push(kit.gateways[1]!, question);
    const runner = await runnerOf(messageId);
    await kit.lark.waitFor(
      () =>
        kit.lark.messages.find(
          (m) => repliesTo(messageId)(m) && (m.card?.contentUpdates.length ?? 0) > 0,
        ),
      10_000,
    );
    await runner.kill();
    const survivor = kit.gateways.find((r) => r !== runner)!;
    // The job's lease runs out (2 s) and the survivor answers again, completely.
    const answers = await kit.lark.waitForMessages(2, repliesTo(messageId), 20_000);
    const fresh = answers[1]!;
    await kit.lark.waitFor(
      () => isFinishedCard(fresh) && messageText(fresh).includes("k99"),
      20_000,
    );
    expect(messageText(answers[0]!)).toMatch(/interrupted/i);
    await survivor.waitForLog(
      (l) => l.msg === "answering" && l.messageId === messageId && l.attempt === 2,
    );
    // The replica comes back for the remaining tests.
    await kit.restart(runner);
  });

  it("shows nothing more from a replica that only stalled past its lease", async () => {
    const chunks = Array.from({ length: 100 }, (_, i) => `s${i} `);
    // The run that stalls: its whole answer has arrived by the time it wakes up.
    kit.llm.script({ chunks, chunkDelayMs: 20 });
    kit.llm.script({ chunks, chunkDelayMs: 2 }); // the run that takes over
    kit.llm.script({ text: "Noted." }); // the follow-up, to read the history back
    const question = kit.message("survive a stall");
    const messageId = question.event.message.message_id;
    await push(kit.gateways[0]!, question);
    const runner = await runnerOf(messageId);
    const first = await kit.lark.waitFor(
      () =>
        kit.lark.messages.find(
          (m) => repliesTo(messageId)(m) && (m.card?.contentUpdates.length ?? 0) > 0,
        ),
      10_000,
    );
    // A stopped process is the purest stall: its clock runs on, its code does not.
    runner.child.kill("SIGSTOP");
    const survivor = kit.gateways.find((r) => r !== runner)!;
    let fresh: typeof first;
    try {
      const answers = await kit.lark.waitForMessages(2, repliesTo(messageId), 20_000);
      fresh = answers[1]!;
      await kit.lark.waitFor(
        () => isFinishedCard(fresh) && messageText(fresh).includes("s99"),
        20_000,
      );
    } finally {
      runner.child.kill("SIGCONT");
    }
    // The woken run ends one way or the other: with its lease, or (unfenced) by answering.
    await runner.waitForLog(
      (l) => l.msg === "job stopped with its lease" || l.msg === "answered",
      15_000,
    );
    // Time for whatever the woken replica would still have sent (it streamed every 150 ms).
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(kit.lark.messages.filter(repliesTo(messageId))).toHaveLength(2);
    expect(messageText(first)).toMatch(/interrupted/i);
    expect(messageText(fresh)).toContain("s99");
    expect(
      runner.logs.some((l) => l.msg === "answered" && l.messageId === messageId),
      "the stalled replica recorded an answer",
    ).toBe(false);

    // The history holds the question once, answered by the survivor.
    const next = kit.message("and now?", { chatId: question.event.message.chat_id });
    await push(survivor, next);
    await kit.answersTo(next.event.message.message_id, { card: true, timeoutMs: 15_000 });
    const sent = kit.llm.requests.at(-1)!.body.messages as Array<{ content: string }>;
    expect(sent.filter((m) => m.content === "survive a stall")).toHaveLength(1);
    expect(sent.filter((m) => m.content.includes("s99"))).toHaveLength(1);
  });
});
