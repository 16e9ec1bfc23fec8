import { describe, expect, it } from "vitest";
import {
  EMPTY_MARKDOWN_CONTENT,
  markdownToPostContent,
} from "../../../src/lark/outbound/markdown/index.js";
import { COMPARISON_ANSWER, NESTED_LIST_ANSWER } from "./llm-answers-for-tests.js";

function mdText(content: ReturnType<typeof markdownToPostContent>): string {
  expect(content.zh_cn.content).toHaveLength(1);
  const [paragraph] = content.zh_cn.content;
  expect(paragraph).toHaveLength(1);
  expect(paragraph?.[0]?.tag).toBe("md");
  return paragraph?.[0]?.text ?? "";
}

describe("markdownToPostContent", () => {
  it("wraps the answer in one md node under zh_cn with the given title", () => {
    const post = markdownToPostContent("你好，**世界**！", "回答");
    expect(post.zh_cn.title).toBe("回答");
    expect(mdText(post)).toBe("你好，**世界**！");
    expect(markdownToPostContent("x").zh_cn.title).toBe("");
  });

  it("turns headings into bold lines, since post md has no headings", () => {
    const text = mdText(markdownToPostContent("# 总结\n\n正文\n\n### 细节 *补充*\n\n内容"));
    expect(text).toBe("**总结**\n\n正文\n\n**细节 *补充***\n\n内容");
    expect(text).not.toMatch(/^#/m);
  });

  it("turns tables into readable lists, since post md has no tables", () => {
    const text = mdText(markdownToPostContent(COMPARISON_ANSWER));
    expect(text).not.toMatch(/^\|/m);
    expect(text).toContain(
      "1. **模型**: GPT-4o\n    - **上下文窗口**: 128K\n    - **价格（每百万 token）**: $2.50\n    - **适合场景**: 通用对话、**多模态**理解",
    );
    expect(text).toContain("4. **模型**: Qwen2.5-72B");
    expect(text).toContain("    - **适合场景**: 私有化部署，见 [官网](https://qwen.ai)");
  });

  it("applies the same link, image, HTML and list rules as cards", () => {
    const text = mdText(
      markdownToPostContent(
        `[恶意](javascript:void(0)) ![图](https://img.example/a.png) <at user_id="all"></at>完成\n\n${NESTED_LIST_ANSWER}`,
      ),
    );
    expect(text).toContain("恶意 [🖼 图](https://img.example/a.png) 完成");
    expect(text).toContain("1. 准备环境\n    - 安装 Node.js 20 或更高版本\n        - macOS");
  });

  it("never sends an empty md node", () => {
    expect(mdText(markdownToPostContent(""))).toBe(EMPTY_MARKDOWN_CONTENT);
  });
});
