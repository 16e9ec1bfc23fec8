import { describe, expect, it } from "vitest";
import { type MarkdownElement, renderCardBody } from "../../../src/lark/outbound/markdown/index.js";
import { NESTED_LIST_ANSWER } from "./llm-answers-for-tests.js";

function render(markdown: string): string {
  const elements = renderCardBody(markdown);
  expect(elements.every((element) => element.tag === "markdown")).toBe(true);
  return (elements as MarkdownElement[]).map((element) => element.content).join("\n\n");
}

describe("renderCardBody: nested lists as the model meant them", () => {
  it("nests 2-space sub-items under numbered steps and indents them by 4 spaces", () => {
    expect(render(NESTED_LIST_ANSWER)).toBe(
      [
        "部署步骤如下：",
        "",
        "1. 准备环境",
        "    - 安装 Node.js 20 或更高版本",
        "        - macOS 可以用 `brew install node`",
        "    - 克隆仓库",
        "2. 配置",
        "    - 复制 `.env.example` 为 `.env`",
        "    - 填写 APP_ID 和 APP_SECRET",
        "",
        "- 注意事项",
        "    - 不要把密钥提交到 Git",
      ].join("\n"),
    );
  });

  it("keeps numbering and nests numbered sub-steps under a two-digit step", () => {
    expect(render("10. 第十步\n  1. 子步骤\n     - 细节\n11. 第十一步")).toBe(
      "10. 第十步\n    1. 子步骤\n        - 细节\n11. 第十一步",
    );
  });

  it("moves a code block inside a list item with its item, keeping the code's own indentation", () => {
    const content = render(
      "1. 新建 `app.py`：\n  ```python\n  def handler(event):\n      return event\n  ```\n2. 运行",
    );
    expect(content).toBe(
      "1. 新建 `app.py`：\n    ```python\n    def handler(event):\n        return event\n    ```\n2. 运行",
    );
  });

  it("does not treat list-looking lines inside code as list items", () => {
    const yaml = "```yaml\nsteps:\n  - name: build\n    run: |\n      - not a list\n```";
    expect(render(`配置示例：\n\n${yaml}`)).toBe(`配置示例：\n\n${yaml}`);
  });

  it("leaves an indented code block at the margin alone", () => {
    expect(render("示例：\n\n    - literal dash\n    - inside code")).toBe(
      "示例：\n\n```\n- literal dash\n- inside code\n```",
    );
  });
});
