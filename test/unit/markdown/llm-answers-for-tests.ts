/** Answers shaped like what real models send back, used across the markdown tests. */

export const COMPARISON_ANSWER = `下面是几款主流大模型的对比（数据截至 2025 年 Q1）：

| 模型 | 上下文窗口 | 价格（每百万 token） | 适合场景 |
|:-----|:--------:|------------------:|---------|
| GPT-4o | 128K | $2.50 | 通用对话、**多模态**理解 |
| Claude 3.5 Sonnet | 200K | $3.00 | 长文档分析，代码生成 |
| DeepSeek-V3 | 64K | ¥2.00 | 中文写作；性价比高！ |
| Qwen2.5-72B | 128K | ¥4.00 | 私有化部署，见 [官网](https://qwen.ai) |

**总结**：如果预算有限，推荐 DeepSeek-V3；需要处理超长文档时选 Claude。`;

/** `count` small tables separated by prose, each with a distinct header and rows. */
export function answerWithTables(count: number): string {
  const sections: string[] = ["以下是各季度的销售数据汇总："];
  for (let table = 1; table <= count; table++) {
    sections.push(`### 第 ${table} 区域`);
    sections.push(
      [
        `| 区域${table} | 销售额（万元） | 同比 |`,
        "|---|---:|:-:|",
        `| 华东${table} | ${100 + table} | +${table}% |`,
        `| 华南${table} | ${200 + table} | -${table}% |`,
      ].join("\n"),
    );
  }
  sections.push("如需更详细的拆分，请告诉我。");
  return sections.join("\n\n");
}

export const NESTED_LIST_ANSWER = `部署步骤如下：

1. 准备环境
  - 安装 Node.js 20 或更高版本
    - macOS 可以用 \`brew install node\`
  - 克隆仓库
2. 配置
  - 复制 \`.env.example\` 为 \`.env\`
  - 填写 APP_ID 和 APP_SECRET

- 注意事项
  - 不要把密钥提交到 Git`;

export const CODE_ANSWER = `可以用下面的 Python 脚本生成报表：

\`\`\`python
import csv

def main() -> None:
    rows = [("a", 1), ("b", 2)]
    print("| name | value |")
    print("|------|-------|")
    for name, value in rows:
        print(f"| {name} | {value} |")
\`\`\`

输出的 Markdown 表格长这样（这是代码，不要渲染）：

\`\`\`markdown
| name | value |
|------|-------|
| a    | 1     |
\`\`\`

运行：\`python report.py > out.md\``;

/** A long mixed answer of about `targetBytes` UTF-8 bytes with one code block of `codeLines` lines. */
export function longAnswer(targetBytes: number, codeLines: number): string {
  const parts: string[] = ["# 系统设计说明（Design Notes）"];
  const code = Array.from(
    { length: codeLines },
    (_, line) => `    result_${line} = compute(batch[${line}], 阈值=${line % 7})  # 第 ${line} 步`,
  );
  let section = 0;
  while (Buffer.byteLength(parts.join("\n\n")) < targetBytes) {
    section++;
    parts.push(`## ${section}. 模块 ${section}：Gateway 与 Lark 的交互`);
    parts.push(
      `在第 ${section} 个模块中，我们使用 WebSocket 长连接接收事件（event），` +
        `并在 3 秒内完成 ack。每条消息都会写入 SQLite/Postgres，以便重启后继续处理。` +
        ` The worker retries up to ${section % 5} times with exponential backoff, ` +
        `然后把结果以卡片（card）形式回复给用户。`,
    );
    parts.push(
      [
        `- 要点 ${section}.1：去重键使用 event_id 与 message_id`,
        `- 要点 ${section}.2：每个会话同一时间只处理一轮`,
        `    - 不同会话可以并行，上限 ${section * 2} 个`,
      ].join("\n"),
    );
    if (section === 3) parts.push(["```python", "def run(batch):", ...code, "```"].join("\n"));
    if (section % 4 === 0) {
      parts.push(
        ["```ts", `const limit = ${section};`, "await sendCard(limit);", "```"].join("\n"),
      );
    }
  }
  parts.push("以上就是完整的设计，欢迎提出修改意见！🙂");
  return parts.join("\n\n");
}
