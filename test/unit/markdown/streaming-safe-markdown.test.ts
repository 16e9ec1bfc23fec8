import { describe, expect, it } from "vitest";
import {
  type MarkdownElement,
  renderCardBody,
  streamingSafeMarkdown,
} from "../../../src/lark/outbound/markdown/index.js";
import { CODE_ANSWER } from "./llm-answers-for-tests.js";

describe("streamingSafeMarkdown", () => {
  it("temporarily closes a half-written code block", () => {
    const partial = '可以这样写：\n\n```python\ndef handler(event):\n    return {"ok": Tr';
    const shown = streamingSafeMarkdown(partial);

    expect(shown).toBe(`${partial}\n\`\`\``);
    // Rendered, the code stays code and the text before it stays prose.
    const [element] = renderCardBody(shown) as MarkdownElement[];
    expect(element?.content).toBe(
      '可以这样写：\n\n```python\ndef handler(event):\n    return {"ok": Tr\n```',
    );
  });

  it("closes a block whose opening fence has just arrived", () => {
    expect(streamingSafeMarkdown("示例：\n```ts\n")).toBe("示例：\n```ts\n```");
    expect(streamingSafeMarkdown("示例：\n```ts")).toBe("示例：\n```ts\n```");
  });

  it("completes a closing fence that is being typed instead of adding a second one", () => {
    expect(streamingSafeMarkdown("```sh\nnpm test\n``")).toBe("```sh\nnpm test\n```");
    expect(streamingSafeMarkdown("```sh\nnpm test\n`")).toBe("```sh\nnpm test\n```");
  });

  it("matches the opening fence's length, marker and indentation", () => {
    expect(streamingSafeMarkdown("````md\n```js\nx()\n```\n")).toBe(
      "````md\n```js\nx()\n```\n````",
    );
    expect(streamingSafeMarkdown("~~~\nplain")).toBe("~~~\nplain\n~~~");
    expect(streamingSafeMarkdown("1. 运行：\n    ```bash\n    npm start")).toBe(
      "1. 运行：\n    ```bash\n    npm start\n    ```",
    );
    expect(streamingSafeMarkdown("> 引用代码\n> ```\n> x = 1")).toBe(
      "> 引用代码\n> ```\n> x = 1\n> ```",
    );
  });

  it("returns text with no open fence unchanged, half-written tables included", () => {
    const complete = CODE_ANSWER;
    expect(streamingSafeMarkdown(complete)).toBe(complete);
    const halfTable = "| 模型 | 价格 |\n|---|---|\n| GPT-4o | $2.";
    expect(streamingSafeMarkdown(halfTable)).toBe(halfTable);
    expect(streamingSafeMarkdown("用 ``` 包住代码")).toBe("用 ``` 包住代码");
    expect(streamingSafeMarkdown("")).toBe("");
  });

  it("keeps whatever has streamed so far as the start of what is shown", () => {
    for (let end = 0; end <= CODE_ANSWER.length; end += 7) {
      const partial = CODE_ANSWER.slice(0, end);
      expect(streamingSafeMarkdown(partial).startsWith(partial)).toBe(true);
    }
  });
});
