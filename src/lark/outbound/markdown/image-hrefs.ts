import type { Token } from "marked";
import { lexAnswer } from "./lex-markdown.js";

/** The link of every markdown image in an answer, in order, code blocks and spans excluded. */
export function imageHrefs(markdown: string): string[] {
  if (!markdown.includes("![")) return [];
  const hrefs: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (!value || typeof value !== "object") return;
    const token = value as Token;
    if (token.type === "code" || token.type === "codespan") return;
    if (token.type === "image" && typeof token.href === "string") hrefs.push(token.href);
    for (const key of ["tokens", "items", "header", "rows"] as const) {
      const child = (token as unknown as Record<string, unknown>)[key];
      if (child) visit(child);
    }
  };
  visit(lexAnswer(markdown));
  return hrefs;
}
