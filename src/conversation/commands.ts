/**
 * Text commands a user can send instead of a question. `Reset` is FastGPT's exact,
 * case-sensitive word; the aliases are Feishu-OpenAI's and common peers' spellings.
 * Anything else, including `reset` in lower case, is a question for the LLM.
 */
export type Command = { type: "reset" };

const RESET_WORDS = new Set(["Reset", "/reset", "/clear", "/new", "清除"]);

export function parseCommand(text: string): Command | undefined {
  if (RESET_WORDS.has(text.trim())) return { type: "reset" };
  return undefined;
}
