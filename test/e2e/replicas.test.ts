import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createFakeLark, type FakeLark, type FakeMessage, messageText } from "../kit/fake-lark.js";
import { createFakeLlm, type FakeLlm } from "../kit/fake-llm.js";
import { cardActionEvent, messageEvent } from "../kit/lark-events.js";
import {
  createSchemaFactory,
  postgresTestUrl,
  postgresUnreachable,
} from "../store/postgres-test-database.js";
import { buttonValue } from "./card-helpers.js";
import { type GatewayProcess, startGatewayProcess } from "./gateway-process.js";

const unreachable = await postgresUnreachable(postgresTestUrl);
if (unreachable && process.env.CI) {
  throw new Error(`PostgreSQL must be reachable in CI at ${postgresTestUrl}: ${unreachable}`);
}

/**
 * Two gateway processes on one PostgreSQL database, as behind a load balancer: every message
 * is answered exactly once, a replica's death mid-answer is recovered, Stop works across them.
 */
describe.skipIf(Boolean(unreachable))("several replicas on PostgreSQL (e2e)", () => {
  const schemas = createSchemaFactory(postgresTestUrl);
  let lark: FakeLark;
  let llm: FakeLlm;
  let replicas: GatewayProcess[] = [];
  let databaseUrl: string;
  let n = 0;

  const env = () => ({
    APP_ID: lark.app.appId,
    APP_SECRET: lark.app.appSecret,
    LARK_DOMAIN: lark.url,
    OPENAI_KEY: llm.apiKey,
    OPENAI_BASE_URL: llm.url,
    DATABASE_URL: databaseUrl,
    JOB_LEASE_MS: "2000",
  });
  const event = (text: string, chatId = `oc_rep_${++n}`) =>
    messageEvent({
      appId: lark.app.appId,
      chatId,
      chatType: "p2p",
      senderOpenId: "ou_alice",
      text,
    });
  const push = (replica: GatewayProcess, envelope: object, path = "event") =>
    lark.push(`${replica.url}/webhook/${path}`, envelope);
  const repliesTo = (messageId: string) => (m: FakeMessage) => m.replyTo === messageId;
  const finished = (m: FakeMessage) => m.card?.streaming === false && m.card.fullUpdates.length > 0;
  /** Which replica is producing the answer to this message. */
  const runnerOf = async (messageId: string) => {
    const logs = await Promise.any(
      replicas.map((r) =>
        r
          .waitForLog((l) => l.msg === "answering" && l.messageId === messageId, 10_000)
          .then(() => r),
      ),
    );
    return logs;
  };

  beforeAll(async () => {
    lark = await createFakeLark();
    llm = await createFakeLlm();
    databaseUrl = await schemas.create();
    replicas = await Promise.all([startGatewayProcess(env()), startGatewayProcess(env())]);
  });

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await llm?.close();
    await lark?.close();
    await schemas.dropAll();
  });

  beforeEach(() => {
    lark.reset();
    llm.reset();
  });

  it("answers each message exactly once when deliveries spread over both and repeat on both", async () => {
    const events = Array.from({ length: 20 }, (_, i) => event(`question ${i}`));
    await Promise.all(
      events.map(async (e, i) => {
        await push(replicas[i % 2]!, e);
        await push(replicas[(i + 1) % 2]!, e); // Lark re-delivers to the other replica
      }),
    );
    for (const e of events) {
      await lark.waitForMessages(
        1,
        (m) => repliesTo(e.event.message.message_id)(m) && finished(m),
        15_000,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const e of events) {
      expect(lark.messages.filter(repliesTo(e.event.message.message_id))).toHaveLength(1);
    }
    expect(llm.requests).toHaveLength(20);
    // Both replicas did work.
    for (const replica of replicas) {
      expect(replica.logs.some((l) => l.msg === "answered")).toBe(true);
    }
  });

  it("keeps a conversation's turns in order across replicas", async () => {
    const chatId = "oc_rep_order";
    for (const [i, text] of ["one", "two", "three"].entries()) {
      await push(replicas[i % 2]!, event(`turn ${text}`, chatId));
    }
    const requests = await llm.waitForRequests(3, 15_000);
    await lark.waitForMessages(3, (m) => finished(m), 15_000);
    const asked = (i: number) =>
      (requests[i]!.body.messages as Array<{ role: string; content: string }>)
        .filter((m) => m.role === "user")
        .map((m) => m.content);
    expect(asked(2)).toEqual(["turn one", "turn two", "turn three"]);
  });

  it("stops an answer running on one replica when Stop is pressed through the other", async () => {
    llm.script({ chunks: Array.from({ length: 200 }, (_, i) => `s${i} `), chunkDelayMs: 40 });
    const question = event("long answer to stop");
    const messageId = question.event.message.message_id;
    await push(replicas[0]!, question);
    const runner = await runnerOf(messageId);
    const other = replicas.find((r) => r !== runner)!;
    const [live] = await lark.waitForMessages(
      1,
      (m) => repliesTo(messageId)(m) && (m.card?.contentUpdates.length ?? 0) > 0,
      10_000,
    );
    const press = cardActionEvent({
      appId: lark.app.appId,
      operatorOpenId: "ou_alice",
      value: buttonValue(live!.card!.json, "Stop")!,
      messageId: live!.messageId,
      chatId: question.event.message.chat_id,
    });
    const ack = await push(other, press, "card");
    expect(JSON.parse(ack.body).toast.content).toMatch(/stopping/i);
    await lark.waitFor(() => finished(live!), 10_000);
    expect(messageText(live!)).toMatch(/stopped/i);
    expect(messageText(live!)).not.toContain("s199");
    await runner.waitForLog((l) => l.msg === "stopped on request of another replica");
  });

  it("completes an answer on the surviving replica after the other is killed mid-answer", async () => {
    const chunks = Array.from({ length: 100 }, (_, i) => `k${i} `);
    llm.script({ chunks, chunkDelayMs: 50 }); // the run that dies
    llm.script({ chunks, chunkDelayMs: 2 }); // the run that takes over
    const question = event("survive a crash");
    const messageId = question.event.message.message_id;
    await push(replicas[1]!, question);
    const runner = await runnerOf(messageId);
    await lark.waitFor(
      () =>
        lark.messages.find(
          (m) => repliesTo(messageId)(m) && (m.card?.contentUpdates.length ?? 0) > 0,
        ),
      10_000,
    );
    await runner.kill();
    const survivor = replicas.find((r) => r !== runner)!;
    // The job's lease runs out (2 s) and the survivor answers again, completely.
    const answers = await lark.waitForMessages(2, repliesTo(messageId), 20_000);
    const fresh = answers[1]!;
    await lark.waitFor(() => finished(fresh) && messageText(fresh).includes("k99"), 20_000);
    expect(messageText(answers[0]!)).toMatch(/interrupted/i);
    await survivor.waitForLog(
      (l) => l.msg === "answering" && l.messageId === messageId && l.attempt === 2,
    );
    // The replica comes back for the remaining tests.
    replicas = [survivor, await startGatewayProcess(env())];
  });
});
