/**
 * Fenced-code line detection, shared by the streaming fixer and the splitter. Both need source
 * positions of fences in text that may be cut anywhere, which marked's tokens do not give.
 * Deliberately lenient about indentation: LLMs indent fences inside list items by any amount,
 * and a fence nested in a quote carries its `>` markers, which we keep as the line prefix.
 */
export interface OpenFence {
  /** Indentation and quote markers before the fence, repeated on the closing line. */
  prefix: string;
  marker: "`" | "~";
  length: number;
  /** Info string (language), trimmed. */
  info: string;
  /** The opening line as written, without its newline. */
  line: string;
}

const FENCE_LINE = /^((?:[ \t]*>)*[ \t]*)(`{3,}|~{3,})(.*)$/;

/** The fence a line opens, or `undefined` when it opens none. */
export function openingFence(line: string): OpenFence | undefined {
  const match = FENCE_LINE.exec(line);
  if (!match) return undefined;
  const [, prefix = "", run = "", info = ""] = match;
  const marker = run[0] === "~" ? "~" : "`";
  // CommonMark: a backtick fence's info string cannot contain a backtick (that is inline code).
  if (marker === "`" && info.includes("`")) return undefined;
  return { prefix, marker, length: run.length, info: info.trim(), line };
}

/** Whether `line` closes `fence`: same marker, at least as long, nothing after it. */
export function closesFence(line: string, fence: OpenFence): boolean {
  const match = FENCE_LINE.exec(line);
  if (!match) return false;
  const [, , run = "", rest = ""] = match;
  return run[0] === fence.marker && run.length >= fence.length && rest.trim() === "";
}

/** The line that closes `fence`, without a newline. */
export function closingLine(fence: OpenFence): string {
  return `${fence.prefix}${fence.marker.repeat(fence.length)}`;
}

/** The fence still open at the end of `text`, or `undefined` when every fence is closed. */
export function fenceOpenAtEnd(text: string): OpenFence | undefined {
  let open: OpenFence | undefined;
  for (const line of text.split("\n")) {
    if (open === undefined) open = openingFence(line);
    else if (closesFence(line, open)) open = undefined;
  }
  return open;
}
