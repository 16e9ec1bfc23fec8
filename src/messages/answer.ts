/**
 * The outbound answer model: what a conversation hands a channel to show. Markdown text, the
 * model's reasoning, sources and the footer facts; the channel decides the card, the pacing
 * and the buttons (`toolbar-action.ts`).
 */
export interface AnswerSnapshot {
  /** The answer so far (markdown). */
  text: string;
  /** Reasoning so far, shown collapsed; never sent back as history. */
  reasoning: string;
}

export interface Citation {
  title: string;
  url?: string;
  snippet?: string;
}

/** A file the app produced (not a picture: those are images in the text), sent after the answer. */
export interface AnswerFile {
  name: string;
  url: string;
}

export interface AnswerFinal extends AnswerSnapshot {
  status: "done" | "stopped" | "error";
  /** Short user-facing error line (with a reference id) when status is `error`. */
  errorNotice?: string;
  model: string;
  elapsedMs: number;
  totalTokens?: number;
  citations: Citation[];
  /** Files the app produced, each sent as a file message after the answer's card. */
  files?: AnswerFile[];
}
