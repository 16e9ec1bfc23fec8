import { describe, expect, it } from "vitest";
import {
  createSchemaFactory,
  postgresTestUrl,
  postgresUnreachable,
} from "../store/postgres-test-database.js";
import { isFinal } from "./card-helpers.js";
import { cardTitle } from "./chat-helpers.js";
import { useE2eKit, writeConfig } from "./e2e-kit.js";

const unreachable = await postgresUnreachable(postgresTestUrl);
if (unreachable && process.env.CI) {
  throw new Error(`PostgreSQL must be reachable in CI at ${postgresTestUrl}: ${unreachable}`);
}

/**
 * A budget held exactly by two gateway processes on one PostgreSQL database (issue 21): the
 * counters are rows both replicas lock, on the database's clock.
 */
describe.skipIf(Boolean(unreachable))("a budget across two replicas (e2e)", () => {
  const kit = useE2eKit({
    replicas: 2,
    database: createSchemaFactory(postgresTestUrl),
    chatPrefix: "bud-rep",
    env(k) {
      const path = writeConfig(`
apps:
  main: { backend: openai, baseUrl: "${k.llm.url}", apiKey: "${k.llm.apiKey}", model: gpt-test }
bots:
  default:
    appId: ${k.lark.app.appId}
    appSecret: ${k.lark.app.appSecret}
    domain: ${k.lark.url}
    app: main
    limits:
      questions: { botMonth: 10 }
`);
      return { CONFIG_FILE: path };
    },
  });

  it("answers exactly 10 of 20 simultaneous questions against a budget of 10", async () => {
    const events = Array.from({ length: 20 }, (_, i) =>
      kit.message(`question ${i}`, { senderOpenId: `ou_user_${i}` }),
    );
    await Promise.all(events.map((e, i) => kit.push(e, "event", { to: kit.gateways[i % 2]! })));
    const replies = await Promise.all(
      events.map(
        async (e) => (await kit.answersTo(e.event.message.message_id, { timeoutMs: 20_000 }))[0]!,
      ),
    );
    expect(replies.every(isFinal)).toBe(true);
    const refused = replies.filter((reply) => cardTitle(reply) === "Limit reached");
    expect(refused).toHaveLength(10);
    expect(kit.llm.requests).toHaveLength(10);
    // Both replicas took part in the race.
    for (const replica of kit.gateways) {
      expect(
        replica.logs.some((l) => l.msg === "answering" || l.msg === "refused: over a limit"),
      ).toBe(true);
    }
  });
});
