import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../temp-dir.js";
import { buttonValue } from "./card-helpers.js";
import { buttonLabels, cardTitle, chatWith, lastRequest, systemPromptOf } from "./chat-helpers.js";
import { useE2eKit } from "./e2e-kit.js";

/** A role list as Feishu-OpenAI's users keep it (its role_list.yaml, extra keys included). */
const ROLE_LIST = `- title: 周报生成
  content: 请帮我把以下的工作内容填充为一篇完整的周报，用 markdown 格式以分点叙述的形式输出。
  example: 重新优化，科普知识，坚持分享，提高PV
  author: 二丫讲梵
  tags: [日常办公]
- title: Release notes writer
  content: You turn a list of merged changes into release notes for end users.
  tags: [Engineering, 日常办公]
- title: 文言文翻译
  content: 你是一位古汉语学者，把用户的白话文译成文言文。
  tags:
    - 文学
`;

/**
 * A conversation's role, from `/system` or picked from the presets of a user's own
 * ROLE_LIST_FILE, as the model sees it, through the real gateway (and a restart of it).
 */
describe("roles (e2e)", () => {
  const kit = useE2eKit({
    chatPrefix: "role",
    env: (k) => {
      const file = join(tempDir("e2e-roles"), "role_list.yaml");
      writeFileSync(file, ROLE_LIST);
      return {
        ...k.defaultBotEnv(),
        SYSTEM_PROMPT: "You are the default bot.",
        ROLE_LIST_FILE: file,
      };
    },
  });
  const chat = chatWith(kit);

  it("offers the file's tags on /roles, and none of the shipped ones", async () => {
    const { reply } = await chat.send("/roles");
    expect(cardTitle(reply)).toBe("Roles");
    expect(buttonLabels(reply)).toEqual(["日常办公", "Engineering", "文学"]);
  });

  it("sets a picked preset's content as the system prompt", async () => {
    const { reply: tags, chatId } = await chat.send("角色列表");
    const office = await chat.press(tags, "日常办公");
    // The pressed card now lists the tag's roles; each button picks one.
    const roles = office.card!.data;
    expect(JSON.stringify(roles)).toContain("Release notes writer");
    const pick = buttonValue(roles, "周报生成");
    expect(pick, "a 周报生成 button").toBeDefined();
    const ack = await kit.push(
      kit.cardAction({ value: pick!, messageId: tags.messageId, chatId }),
      "card",
    );
    expect(ack.status).toBe(200);
    await chat.send("本周：修复登录问题，发布 1.2 版", { chatId });
    expect(systemPromptOf(lastRequest(kit))).toBe(
      "请帮我把以下的工作内容填充为一篇完整的周报，用 markdown 格式以分点叙述的形式输出。",
    );
  });

  it("keeps a /system role across a restart of the gateway, and its card's button still works", async () => {
    const { reply: set, chatId } = await chat.send("/system You are a pirate.");
    expect(cardTitle(set)).toBe("Role set");
    await kit.restart();
    await chat.send("hello after the restart", { chatId });
    expect(systemPromptOf(lastRequest(kit))).toBe("You are a pirate.");

    await chat.press(set, "Back to default");
    await chat.send("and now?", { chatId });
    expect(systemPromptOf(lastRequest(kit))).toBe("You are the default bot.");
  });
});
