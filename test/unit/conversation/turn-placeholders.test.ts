import { describe, expect, it } from "vitest";
import { placeholderFiller } from "../../../src/conversation/turn-placeholders.js";
import { createNameDirectory } from "../../../src/gateway/name-directory.js";

const place = {
  senderOpenId: "ou_alice",
  chatId: "oc_1",
  conversationKey: "group:oc_1:ou_alice",
  now: new Date("2026-01-01T20:30:00Z"),
};

describe("placeholders in app variables and prompts", () => {
  it("writes the date and time in the app's zone, past midnight there, and leaves unknown names", async () => {
    const text = "{{date}} {{time}} | {{datetime}} {{timezone}} {{chat.type}} {{weather}}";
    const fill = await placeholderFiller(
      [text],
      { ...place, timeZone: "Asia/Shanghai" },
      undefined,
    );
    expect(fill(text)).toBe("2026-01-02 04:30 | 2026-01-02 04:30 Asia/Shanghai group {{weather}}");
  });

  it("asks for a name only when a text uses it, once per id, and falls back to the id", async () => {
    const asked: string[] = [];
    const directory = createNameDirectory({
      userName: async (id) => {
        asked.push(id);
        if (id === "ou_bob") throw new Error("no contact scope");
        return "Alice Liu";
      },
      chatName: async () => undefined,
      botName: async () => "Helper",
    });
    await placeholderFiller(["no names here {{date}}"], place, directory);
    expect(asked).toEqual([]);
    const text = "{{sender.name}} in {{chat.name}}, {{bot.name}}";
    expect((await placeholderFiller([text], place, directory))(text)).toBe(
      "Alice Liu in oc_1, Helper",
    );
    await placeholderFiller([text], place, directory);
    const bob = { ...place, senderOpenId: "ou_bob" };
    expect((await placeholderFiller([text], bob, directory))(text)).toBe("ou_bob in oc_1, Helper");
    expect(asked).toEqual(["ou_alice", "ou_bob"]);
  });
});
