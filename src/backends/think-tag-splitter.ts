/**
 * Some models (DeepSeek-R1 via vLLM/Ollama, QwQ…) put their reasoning inline as
 * `<think>…</think>` instead of `reasoning_content`. This splits a text stream into reasoning
 * and answer, even when a tag is cut across two chunks.
 */
export interface SplitPiece {
  kind: "text" | "reasoning";
  text: string;
}

const OPEN = "<think>";
const CLOSE = "</think>";

export function createThinkTagSplitter(): {
  push(chunk: string): SplitPiece[];
  flush(): SplitPiece[];
} {
  let inThink = false;
  let pending = "";
  let seenText = false;

  function emit(out: SplitPiece[], kind: SplitPiece["kind"], text: string): void {
    if (!text) return;
    if (kind === "text") {
      // The answer after `</think>` usually starts with blank lines; they are not content.
      if (!seenText) text = text.replace(/^\s+/, "");
      if (!text) return;
      seenText = true;
    }
    const last = out[out.length - 1];
    if (last && last.kind === kind) last.text += text;
    else out.push({ kind, text });
  }

  function drain(final: boolean): SplitPiece[] {
    const out: SplitPiece[] = [];
    for (;;) {
      const tag = inThink ? CLOSE : OPEN;
      const at = pending.indexOf(tag);
      if (at >= 0) {
        // Only a leading <think> opens reasoning; a later literal "<think>" in an answer is text.
        if (!inThink && seenText) {
          emit(out, "text", pending.slice(0, at + tag.length));
          pending = pending.slice(at + tag.length);
          continue;
        }
        emit(out, inThink ? "reasoning" : "text", pending.slice(0, at));
        pending = pending.slice(at + tag.length);
        inThink = !inThink;
        continue;
      }
      if (final) {
        emit(out, inThink ? "reasoning" : "text", pending);
        pending = "";
        return out;
      }
      // Keep back a tail that could be the start of a tag split across chunks.
      let keep = 0;
      for (let n = Math.min(tag.length - 1, pending.length); n > 0; n--) {
        if (tag.startsWith(pending.slice(pending.length - n))) {
          keep = n;
          break;
        }
      }
      emit(out, inThink ? "reasoning" : "text", pending.slice(0, pending.length - keep));
      pending = pending.slice(pending.length - keep);
      return out;
    }
  }

  return {
    push(chunk) {
      pending += chunk;
      return drain(false);
    },
    flush() {
      return drain(true);
    },
  };
}
