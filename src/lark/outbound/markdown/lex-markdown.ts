import { Lexer, type Token } from "marked";
import { normalizeListIndent } from "./normalize-list-indent.js";

const THINK_BLOCK = /<think>[\s\S]*?<\/think>/gi;
const THINK_TAG = /<\/?think>/gi;

/**
 * Block tokens of GFM markdown. A fresh options object every call, so nothing another module
 * registers with `marked.use()` (extensions, `breaks`, custom tokenizers) changes what we send.
 * The top-level tokens' `raw` strings concatenate back to the input (with `\r\n` normalized).
 */
export function lexBlocks(markdown: string): Token[] {
  return new Lexer({ gfm: true, breaks: false, pedantic: false }).lex(markdown);
}

/**
 * Reasoning should be removed before an answer is rendered, but some backends leak it: drop
 * whole `<think>…</think>` blocks with their content, then any stray open/close tag on its own.
 */
export function stripThinkTags(markdown: string): string {
  return markdown.replace(THINK_BLOCK, "").replace(THINK_TAG, "");
}

/**
 * Lex an LLM answer for rendering: reasoning tags removed, nested lists re-indented the way the
 * model meant them, then GFM block tokens.
 */
export function lexAnswer(markdown: string): Token[] {
  return lexBlocks(normalizeListIndent(stripThinkTags(markdown).replace(/\r\n?/g, "\n")));
}
