import { describe, expect, it } from "vitest";
import { messageText } from "../kit/fake-lark.js";
import { cardOf, formFieldNames } from "./card-helpers.js";
import { useE2eKit } from "./e2e-kit.js";
import { fastGptBotEnv, pausesWith, ROOMS } from "./pause-helpers.js";

describe("FastGPT workflows that ask back, as cards (e2e)", () => {
  const kit = useE2eKit({ fakes: ["fastgpt"], chatPrefix: "pause", env: fastGptBotEnv });
  const { ask, press, continued, contentOf } = pausesWith(kit);

  it("shows a user-select node as buttons and continues the workflow with the one pressed, once", async () => {
    kit.fastgpt.script(ROOMS);
    kit.fastgpt.script({ text: "Booked Room B for you." });
    const { messageId, card } = await ask("book a room");
    expect(messageText(card)).toContain("Pick a meeting room");

    const ack = await press(card, "Room B");
    expect(ack.toast?.content).toMatch(/Sent/);
    expect(ack.card?.data.header.title.content).toBe("Answered");
    await continued(messageId, "Booked Room B for you.");
    const [first, second] = kit.fastgpt.requests;
    expect(second!.body.chatId).toBe(first!.body.chatId);
    expect(contentOf(second!)).toBe("Room B");

    // A second press, and Lark pushing the first one again, send nothing more.
    const again = await press(card, "Room A");
    expect(again.toast?.content).toMatch(/already answered/);
    await kit.push(ack.event, "kb/card");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(kit.fastgpt.requests).toHaveLength(2);
  });

  it("shows a form node as a card form and sends its values back as FastGPT's JSON", async () => {
    kit.fastgpt.script({
      text: "",
      interactive: {
        type: "userInput",
        params: {
          description: "Who is coming?",
          inputForm: [
            { type: "input", key: "name", label: "Your name", required: true, value: "" },
            { type: "numberInput", key: "guests", label: "Guests", required: true, value: "" },
            {
              type: "select",
              key: "floor",
              label: "Floor",
              required: false,
              list: [
                { label: "1", value: "1" },
                { label: "2", value: "2" },
              ],
            },
          ],
        },
      },
    });
    kit.fastgpt.script({ text: "Ada, 4 guests, floor 2: done." });
    const { messageId, card } = await ask("register us");
    const [name, guests, floor] = formFieldNames(cardOf(card));
    expect(formFieldNames(cardOf(card))).toHaveLength(3);

    const missing = await press(card, "Send", { formValue: { [name!]: "Ada", [guests!]: "" } });
    expect(missing.toast?.content).toMatch(/fill in "Guests"/);
    const notNumber = await press(card, "Send", {
      formValue: { [name!]: "Ada", [guests!]: "four" },
    });
    expect(notNumber.toast?.content).toMatch(/"Guests" needs a number/);
    expect(kit.fastgpt.requests).toHaveLength(1);

    const ack = await press(card, "Send", {
      formValue: { [name!]: "Ada", [guests!]: "4", [floor!]: "2" },
    });
    expect(ack.toast?.content).toMatch(/Sent/);
    await continued(messageId, "floor 2: done.");
    const sent = kit.fastgpt.requests[1]!;
    expect(JSON.parse(String(contentOf(sent)))).toEqual({ name: "Ada", guests: 4, floor: "2" });
  });

  it("lets only the asker answer in a group", async () => {
    kit.fastgpt.script(ROOMS);
    const group = {
      chatType: "group" as const,
      chatId: "oc_pause_group",
      mentions: [kit.botMention()],
    };
    const { card } = await ask("@_user_1 book a room", group);
    const bob = await press(card, "Room A", { operator: "ou_bob" });
    expect(bob.toast?.content).toMatch(/Only the person who asked/);
    expect(bob.card).toBeUndefined();
    expect(kit.fastgpt.requests).toHaveLength(1);
  });

  it("takes a typed answer instead, and then calls the card out of date", async () => {
    kit.fastgpt.script(ROOMS);
    kit.fastgpt.script({ text: "Booked Room A." });
    const { chatId, card } = await ask("book a room");
    const typed = kit.message("Room A", { chatId });
    await kit.push(typed, "kb/event");
    await kit.answersTo(typed.event.message.message_id);
    const late = await press(card, "Room B");
    expect(late.toast?.content).toMatch(/expired/);
    expect(kit.fastgpt.requests).toHaveLength(2);
  });

  it("keeps a pending pause across a restart", async () => {
    kit.fastgpt.script(ROOMS);
    const { messageId, card } = await ask("book a room");
    await kit.restart();
    kit.fastgpt.script({ text: "Booked Room A after the restart." });
    const ack = await press(card, "Room A");
    expect(ack.toast?.content).toMatch(/Sent/);
    await continued(messageId, "after the restart");
    expect(contentOf(kit.fastgpt.requests[1]!)).toBe("Room A");
  });
});
