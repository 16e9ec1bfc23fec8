import type { BackendPart } from "../backends/backend.js";
import type { AnswerSnapshot, Citation } from "../messages/answer.js";

/**
 * The answer as the backend's parts build it: text and reasoning so far, usage, sources.
 * `apply` says whether the visible answer changed, so the caller shows only real changes.
 */
export function createAnswerDraft() {
  const draft = {
    text: "",
    reasoning: "",
    promptTokens: undefined as number | undefined,
    completionTokens: undefined as number | undefined,
    totalTokens: undefined as number | undefined,
    citations: [] as Citation[],

    /** Folds one part in; `state` and `pause` parts are the caller's to handle. */
    apply(part: Exclude<BackendPart, { type: "state" | "pause" }>): boolean {
      switch (part.type) {
        case "text-delta":
          draft.text += part.text;
          return true;
        case "text-replace":
          draft.text = part.text;
          return true;
        case "reasoning-delta":
          draft.reasoning += part.text;
          return true;
        case "usage":
          draft.promptTokens = part.promptTokens ?? draft.promptTokens;
          draft.completionTokens = part.completionTokens ?? draft.completionTokens;
          draft.totalTokens = part.totalTokens ?? draft.totalTokens;
          return false;
        case "citation":
          draft.citations.push({ title: part.title, url: part.url, snippet: part.snippet });
          return false;
      }
    },

    snapshot(): AnswerSnapshot {
      return { text: draft.text, reasoning: draft.reasoning };
    },
  };
  return draft;
}

export type AnswerDraft = ReturnType<typeof createAnswerDraft>;
