import type { DocumentText } from "./document-text.js";

/** A document's text as the model gets it, and what of it was left out. */
export interface FittedDocument {
  text: string;
  /** What was cut to fit (`pages 4–12 of 12`, `about 60% of the text`); absent when nothing. */
  cut?: string;
}

/**
 * Fits documents into a token budget, shared evenly (what a short one leaves goes to the
 * others). Whole parts (pages, slides, sheets) go first; the part that overflows is cut at a
 * line; the parts after it are named in `cut`, so the model can tell the person what it did
 * not read instead of answering as if it had read everything.
 *
 * @param tokensOf the same estimate the history budget uses.
 */
export function fitDocuments(
  documents: readonly DocumentText[],
  budgetTokens: number,
  tokensOf: (text: string) => number,
): FittedDocument[] {
  const sized = documents.map((document) => ({
    document,
    tokens: tokensOf(document.parts.map((part) => part.text).join("\n\n")),
  }));
  // Smallest first, so that each one's unused share goes on to the bigger ones.
  const order = sized.map((_, index) => index).sort((a, b) => sized[a]!.tokens - sized[b]!.tokens);
  const fitted: FittedDocument[] = new Array(documents.length);
  let left = Math.max(0, budgetTokens);
  order.forEach((index, position) => {
    const share = Math.floor(left / (order.length - position));
    const result = fitOne(sized[index]!.document, share, tokensOf);
    left -= Math.min(share, tokensOf(result.text));
    fitted[index] = result;
  });
  return fitted;
}

function fitOne(
  document: DocumentText,
  budget: number,
  tokensOf: (text: string) => number,
): FittedDocument {
  const { parts } = document;
  const labelled = parts.length > 1 || parts[0]?.label !== "";
  const render = (label: string, text: string) => (labelled ? `[${label}]\n${text}` : text);
  const kept: string[] = [];
  let used = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const block = render(part.label, part.text);
    const cost = tokensOf(block);
    if (used + cost <= budget) {
      kept.push(block);
      used += cost;
      continue;
    }
    // The part that does not fit: as many of its lines as do, then say what is missing.
    const room = budget - used;
    const partial = room > 0 ? cutToTokens(part.text, room, tokensOf) : "";
    if (partial !== "") kept.push(render(part.label, partial));
    const total = parts.length;
    const cut = labelled
      ? `${partial !== "" ? `the rest of ${part.label}, and ` : ""}${rangeLabel(parts, partial !== "" ? i + 1 : i, total)}`
      : `about ${Math.round((1 - partial.length / Math.max(1, part.text.length)) * 100)}% of the text`;
    return { text: kept.join("\n\n"), cut: cut.replace(/, and $/, "") };
  }
  return { text: kept.join("\n\n") };
}

/** `pages 4–12 of 12`, from the labels of the parts left out. */
function rangeLabel(parts: DocumentText["parts"], from: number, total: number): string {
  if (from >= total) return "";
  const first = parts[from]!.label;
  const last = parts[total - 1]!.label;
  const unit = /^(page|slide) (\d+)$/.exec(first);
  const lastNumber = /^(page|slide) (\d+)$/.exec(last)?.[2];
  if (unit && lastNumber) {
    return from === total - 1
      ? `${first} of ${total}`
      : `${unit[1]}s ${unit[2]}–${lastNumber} of ${total}`;
  }
  return parts
    .slice(from)
    .map((part) => part.label)
    .join(", ");
}

/** The longest run of whole lines (or, for one long line, characters) within `budget`. */
function cutToTokens(text: string, budget: number, tokensOf: (text: string) => number): string {
  let low = 0;
  let high = text.length;
  // Binary search on length: the estimate grows with the text.
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (tokensOf(text.slice(0, middle)) <= budget) low = middle;
    else high = middle - 1;
  }
  const slice = text.slice(0, low);
  const lineEnd = slice.lastIndexOf("\n");
  return (lineEnd > slice.length / 2 ? slice.slice(0, lineEnd) : slice).trimEnd();
}
