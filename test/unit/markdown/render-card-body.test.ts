import { afterEach, describe, expect, it, vi } from "vitest";
import {
  type CardElement,
  EMPTY_MARKDOWN_CONTENT,
  type MarkdownElement,
  renderCardBody,
  type TableElement,
} from "../../../src/lark/outbound/markdown/index.js";
import {
  answerWithTables,
  CODE_ANSWER,
  COMPARISON_ANSWER,
  NESTED_LIST_ANSWER,
} from "./llm-answers-for-tests.js";

function tables(elements: CardElement[]): TableElement[] {
  return elements.filter((element): element is TableElement => element.tag === "table");
}

function markdownText(elements: CardElement[]): string {
  return elements
    .filter((element): element is MarkdownElement => element.tag === "markdown")
    .map((element) => element.content)
    .join("\n\n");
}

describe("renderCardBody: tables", () => {
  it("turns a comparison table into a native table with the alignment row applied", () => {
    const elements = renderCardBody(COMPARISON_ANSWER);

    expect(elements.map((element) => element.tag)).toEqual(["markdown", "table", "markdown"]);
    const [table] = tables(elements);
    expect(table?.columns.map((column) => column.display_name)).toEqual([
      "模型",
      "上下文窗口",
      "价格（每百万 token）",
      "适合场景",
    ]);
    expect(table?.columns.map((column) => column.horizontal_align)).toEqual([
      "left",
      "center",
      "right",
      "left",
    ]);
    expect(table?.columns.every((column) => column.data_type === "lark_md")).toBe(true);
    expect(table?.page_size).toBeGreaterThanOrEqual(1);
    expect(table?.page_size).toBeLessThanOrEqual(10);
    expect(table?.rows).toHaveLength(4);
    const names = table?.columns.map((column) => column.name) ?? [];
    expect(new Set(names).size).toBe(4);
    const claude = table?.rows[1] ?? {};
    expect(names.map((name) => claude[name])).toEqual([
      "Claude 3.5 Sonnet",
      "200K",
      "$3.00",
      "长文档分析，代码生成",
    ]);
    // Inline markdown survives inside cells, CJK and full-width punctuation untouched.
    expect(table?.rows[0]?.[names[3] ?? ""]).toBe("通用对话、**多模态**理解");
    expect(table?.rows[2]?.[names[3] ?? ""]).toBe("中文写作；性价比高！");
    expect(table?.rows[3]?.[names[3] ?? ""]).toBe("私有化部署，见 [官网](https://qwen.ai)");

    const prose = markdownText(elements);
    expect(prose).toContain("数据截至 2025 年 Q1");
    expect(prose).toContain("**总结**：如果预算有限");
    expect(prose).not.toContain("|");
  });

  it("renders five tables natively and the sixth and seventh as readable lists", () => {
    const elements = renderCardBody(answerWithTables(7));

    const native = tables(elements);
    expect(native).toHaveLength(5);
    expect(native.map((table) => table.columns[0]?.display_name)).toEqual([
      "区域1",
      "区域2",
      "区域3",
      "区域4",
      "区域5",
    ]);
    const prose = markdownText(elements);
    expect(prose).not.toMatch(/^\|/m);
    for (const region of [6, 7]) {
      expect(prose).toContain(`1. **区域${region}**: 华东${region}`);
      expect(prose).toContain(`    - **销售额（万元）**: ${200 + region}`);
      expect(prose).toContain(`    - **同比**: -${region}%`);
    }
    // The headings and prose around the fallback tables stay in order.
    expect(prose.indexOf("第 6 区域")).toBeLessThan(prose.indexOf("华东6"));
    expect(prose.indexOf("华南7")).toBeLessThan(prose.indexOf("如需更详细的拆分"));
  });

  it("honours a lower maxTables and never exceeds Lark's limit of five", () => {
    expect(tables(renderCardBody(answerWithTables(3), { maxTables: 1 }))).toHaveLength(1);
    expect(tables(renderCardBody(answerWithTables(3), { maxTables: 0 }))).toHaveLength(0);
    expect(tables(renderCardBody(answerWithTables(8), { maxTables: 20 }))).toHaveLength(5);
    expect(() => renderCardBody("x", { maxTables: -1 })).toThrow(RangeError);
  });

  it("turns <br> inside a cell into a line break and neutralizes unsafe links in cells", () => {
    const [table] = tables(
      renderCardBody("| 步骤 | 说明 |\n|---|---|\n| 1 | 先登录<br>再授权 [点我](javascript:x()) |"),
    );
    expect(table?.rows[0]?.[table.columns[1]?.name ?? ""]).toBe("先登录\n再授权 点我");
  });

  it("keeps a table inside a list item as a nested readable list", () => {
    const elements = renderCardBody("- 结果：\n\n  | 项 | 值 |\n  |---|---|\n  | 速度 | 快 |");
    expect(tables(elements)).toHaveLength(0);
    expect(markdownText(elements)).toContain("    1. **项**: 速度\n        - **值**: 快");
  });
});

describe("renderCardBody: markdown normalization", () => {
  it("re-indents 2-space nested lists to 4 spaces", () => {
    const content = markdownText(renderCardBody(NESTED_LIST_ANSWER));
    expect(content).toContain(
      [
        "1. 准备环境",
        "    - 安装 Node.js 20 或更高版本",
        "        - macOS 可以用 `brew install node`",
        "    - 克隆仓库",
        "2. 配置",
        "    - 复制 `.env.example` 为 `.env`",
      ].join("\n"),
    );
    expect(content).toContain("- 注意事项\n    - 不要把密钥提交到 Git");
  });

  it("keeps code blocks with their language and never turns table-looking code into a table", () => {
    const elements = renderCardBody(CODE_ANSWER);
    expect(tables(elements)).toHaveLength(0);
    expect(elements).toHaveLength(1);
    const content = markdownText(elements);
    expect(content).toContain('```python\nimport csv\n\ndef main() -> None:\n    rows = [("a", 1)');
    expect(content).toContain('    print("|------|-------|")');
    expect(content).toContain(
      "```markdown\n| name | value |\n|------|-------|\n| a    | 1     |\n```",
    );
    expect(content).toContain("运行：`python report.py > out.md`");
  });

  it("uses a longer fence when the code itself contains a fence", () => {
    const content = markdownText(renderCardBody("````md\n```js\nx()\n```\n````"));
    expect(content).toBe("````md\n```js\nx()\n```\n````");
  });

  it("keeps h1–h4 as headings and turns deeper headings into bold lines", () => {
    const content = markdownText(
      renderCardBody("# 一\n\n## Two\n\n#### 四级\n\n##### 五级 **重点**\n\n###### six"),
    );
    expect(content.split("\n\n")).toEqual([
      "# 一",
      "## Two",
      "#### 四级",
      "**五级 重点**",
      "**six**",
    ]);
  });

  it("shows links with non-http schemes as plain text", () => {
    const content = markdownText(
      renderCardBody(
        "点 [这里](javascript:alert(1)) 或 [文件](file:///etc/passwd) 或 [相对](/admin) " +
          "或 [邮件](mailto:a@b.c)，正常链接 [文档](https://open.feishu.cn/document) 和 " +
          "[Wiki](https://en.wikipedia.org/wiki/Lark_(bird)) 保留。",
      ),
    );
    expect(content).not.toMatch(/javascript:|file:|mailto:|\]\(\/admin/);
    expect(content).toContain("点 这里 或 文件 或 相对 或 邮件，");
    expect(content).toContain("[文档](https://open.feishu.cn/document)");
    expect(content).toContain("[Wiki](https://en.wikipedia.org/wiki/Lark_%28bird%29)");
  });

  describe("images", () => {
    afterEach(() => vi.restoreAllMocks());

    it("renders images as links (http) or alt text, without fetching them", () => {
      const fetchSpy = vi.spyOn(globalThis, "fetch");
      const content = markdownText(
        renderCardBody(
          "架构图：![系统架构](https://example.com/arch.png)\n\n" +
            "![本地图](./diagram.png) ![内联](data:image/png;base64,iVBORw0KGgo=) " +
            "[![build](https://ci.example/badge.svg)](https://ci.example/run/1)",
        ),
      );
      expect(fetchSpy).not.toHaveBeenCalled();
      expect(content).toContain("架构图：[🖼 系统架构](https://example.com/arch.png)");
      expect(content).toContain("本地图 内联 [build](https://ci.example/run/1)");
      expect(content).not.toContain("![");
      expect(content).not.toContain("data:image");
    });
  });

  it("removes HTML and reasoning tags but keeps the visible text", () => {
    const content = markdownText(
      renderCardBody(
        "<think>用户想要一个总结，我先想想……</think>\n\n" +
          '<div align="center">\n<b>报告</b>\n</div>\n\n' +
          "<!-- hidden -->\n\n第一行<br>第二行 <at id=all></at> <span>重要</span>",
      ),
    );
    expect(content).toBe("报告\n\n第一行\n第二行  重要");
  });

  it("writes strike-through with double tildes and task items with check marks", () => {
    const content = markdownText(renderCardBody("价格 ~旧~ ~~更旧~~\n\n- [x] 已完成\n- [ ] 待办"));
    expect(content).toBe("价格 ~~旧~~ ~~更旧~~\n\n- ☑ 已完成\n- ☐ 待办");
  });

  it("merges the blocks between tables into a single markdown element", () => {
    const elements = renderCardBody(
      "# 标题\n\n段落一\n\n> 引用\n\n---\n\n| a |\n|---|\n| 1 |\n\n结尾",
    );
    expect(elements.map((element) => element.tag)).toEqual(["markdown", "table", "markdown"]);
    expect((elements[0] as MarkdownElement).content).toBe("# 标题\n\n段落一\n\n> 引用\n\n---");
  });

  it.each(["", "   \n\n", "<think>only reasoning</think>", "<!-- nothing -->"])(
    "returns one non-empty markdown element for empty-looking input %j",
    (input) => {
      const elements = renderCardBody(input);
      expect(elements).toEqual([{ tag: "markdown", content: EMPTY_MARKDOWN_CONTENT }]);
      expect(EMPTY_MARKDOWN_CONTENT.trim()).not.toBe("");
    },
  );
});
