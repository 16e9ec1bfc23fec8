import type { BackendPart } from "../backends/backend.js";
import type { AnswerFile, AnswerSnapshot, Citation } from "../messages/answer.js";

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
    files: [] as AnswerFile[],

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
        case "file": {
          if (!part.image) {
            draft.files.push({ name: part.name, url: part.url });
            return true;
          }
          // A picture joins the text as a markdown image, where the answer had got to: the card
          // shows it in place and the history keeps that it was there.
          const gap = draft.text === "" || draft.text.endsWith("\n\n") ? "" : "\n\n";
          draft.text += `${gap}![${part.name.replace(/[[\]]/g, "")}](${part.url.replace(/\(/g, "%28").replace(/\)/g, "%29").replace(/ /g, "%20")})\n\n`;
          return true;
        }
      }
    },

    snapshot(): AnswerSnapshot {
      return { text: draft.text, reasoning: draft.reasoning };
    },
  };
  return draft;
}

export type AnswerDraft = ReturnType<typeof createAnswerDraft>;
