import { describe, expect, it } from "vitest";
import { messageText } from "../kit/fake-lark.js";
import {
  createSchemaFactory,
  postgresTestUrl,
  postgresUnreachable,
} from "../store/postgres-test-database.js";
import { useE2eKit } from "./e2e-kit.js";
import { fastGptBotEnv, pausesWith, ROOMS } from "./pause-helpers.js";

const unreachable = await postgresUnreachable(postgresTestUrl);
if (unreachable && process.env.CI) {
  throw new Error(`PostgreSQL must be reachable in CI at ${postgresTestUrl}: ${unreachable}`);
}

/** A pause card pressed on two replicas at once continues the workflow once. */
describe.skipIf(Boolean(unreachable))("workflow pauses on two replicas (e2e)", () => {
  const kit = useE2eKit({
    fakes: ["fastgpt"],
    replicas: 2,
    database: createSchemaFactory(postgresTestUrl),
    chatPrefix: "pause-rep",
    env: fastGptBotEnv,
  });
  const { ask, press, continued } = pausesWith(kit);

  it("handles a press pushed to both replicas, and a double click, exactly once", async () => {
    const [one, two] = kit.gateways;
    kit.fastgpt.script(ROOMS);
    kit.fastgpt.script({ text: "Booked Room B once." });
    const { messageId, card } = await ask("book a room", {}, one);

    // Two presses (a double click), each delivered to both replicas at the same moment.
    const acks = await Promise.all([
      press(card, "Room B", { to: one! }),
      press(card, "Room A", { to: two! }),
    ]);
    await Promise.all(acks.map((ack) => kit.push(ack.event, "kb/card", { to: two! })));
    await continued(messageId, "Booked Room B once.");
    await new Promise((resolve) => setTimeout(resolve, 500));

    expect(kit.fastgpt.requests).toHaveLength(2);
    const sent = acks.filter((ack) => /Sent/.test(ack.toast?.content ?? ""));
    expect(sent).toHaveLength(1);
    expect(acks.find((ack) => ack !== sent[0])?.toast?.content).toMatch(/already answered/);
    const answers = kit.lark.messages.filter(
      (m) => m.replyTo === messageId && messageText(m).includes("Booked"),
    );
    expect(answers).toHaveLength(1);
  });
});
