import { describe, expect, it } from "vitest";
import { messageText } from "../kit/fake-lark.js";
import { buttonLabels, cardTitle, chatWith, lastRequest } from "./chat-helpers.js";
import { useE2eKit } from "./e2e-kit.js";

/**
 * A bot set to Chinese (`LANGUAGE=zh`), as Feishu-OpenAI's users knew it: its command cards,
 * its error notice, the answer card's buttons and the answer styles, through the real gateway.
 */
describe("a Chinese bot (e2e)", () => {
  const kit = useE2eKit({
    chatPrefix: "zh",
    env: (k) => ({ ...k.defaultBotEnv(), LANGUAGE: "zh" }),
  });
  const chat = chatWith(kit);

  it("answers /help and 帮助 with the help card in Chinese, without asking the model", async () => {
    for (const word of ["/help", "帮助"]) {
      const { reply } = await chat.send(word);
      expect(cardTitle(reply)).toBe("我能做什么");
      expect(messageText(reply)).toContain("直接发消息提问即可");
      expect(buttonLabels(reply)).toContain("角色列表");
    }
    expect(kit.llm.requests).toHaveLength(0);
  });

  it("says in Chinese that the model failed, with a reference", async () => {
    kit.llm.script({ status: 500, errorBody: { error: { message: "upstream exploded" } } });
    const { reply } = await chat.send("这个会失败");
    const text = messageText(reply);
    expect(text).toContain("抱歉，没能从模型获得回答");
    expect(text).toMatch(/参考编号：[0-9a-f]{8}/);
    expect(text).not.toContain("upstream exploded");
    expect(text).not.toMatch(/Sorry|Reference/);
  });

  it("labels the answer card's buttons in Chinese, and 新对话 starts over", async () => {
    const { reply, chatId } = await chat.send("你好");
    expect(messageText(reply)).toContain("echo: 你好");
    const labels = buttonLabels(reply);
    expect(labels).toEqual(expect.arrayContaining(["重新生成", "新对话"]));
    expect(labels).not.toContain("Regenerate");
    const ack = await chat.press(reply, "新对话");
    expect(ack.toast?.content).toBe("已开始新的对话，之前的消息不再作为上下文。");
    await chat.send("还记得吗？", { chatId });
    expect(lastRequest(kit).body.messages).toEqual([{ role: "user", content: "还记得吗？" }]);
  });

  it("makes 严谨 answers strict (temperature 0.2) and 标准 the app's own again", async () => {
    const { reply: modes, chatId } = await chat.send("发散模式");
    expect(cardTitle(modes)).toBe("回答风格");
    expect(buttonLabels(modes)).toEqual(["严谨", "简洁", "标准", "发散"]);
    const strict = await chat.press(modes, "严谨");
    expect(strict.toast?.content).toBe("回答风格已设为 **严谨**。");
    expect(JSON.stringify(strict.card?.data.body)).toContain("当前：**严谨**");
    await chat.send("一加一", { chatId });
    expect(lastRequest(kit).body.temperature).toBe(0.2);

    const { reply: again } = await chat.send("/ai_mode", { chatId });
    await chat.press(again, "标准");
    await chat.send("二加二", { chatId });
    expect(lastRequest(kit).body).not.toHaveProperty("temperature");
  });
});
