import type { Token, Tokens } from "marked";
import { closesFence, closingLine, type OpenFence, openingFence } from "./fence-line.js";
import { hardSplit } from "./hard-split.js";
import { lexBlocks } from "./lex-markdown.js";

/** Markup that must be repeated when a chunk boundary falls inside a code block or a table. */
interface Context {
  /** Prefixed to the next chunk, newline included: the opening fence line, or table header. */
  reopen: string;
  /** Line that ends the cut chunk (closing fence), or "" when none is needed (tables). */
  close: string;
}

/** A piece of source that the packer never cuts. */
interface Unit {
  text: string;
  /** Still inside this context after the unit: a cut right after it must close and reopen. */
  open?: Context;
  /** The unit only opens `open` (fence line, table header): never end a chunk with it. */
  opens?: boolean;
  /** Not the start of a top-level block: a chunk starting here may begin indented. */
  midBlock?: boolean;
}

/**
 * Split a long answer into chunks of at most `maxChars` UTF-16 units, cutting between blocks
 * (paragraphs, lists, code blocks, tables), then between list items, then between lines, and
 * only then inside a line. A fenced code block is cut only when it alone exceeds the limit;
 * each piece is then closed and re-opened with the same fence and language, and a cut table
 * repeats its header. Apart from that markup and whitespace at the cuts, the chunks concatenate
 * back to the input. Whitespace-only input gives no chunks.
 *
 * @example for (const chunk of splitMarkdown(answer, 3500)) await sendPost(chunk)
 */
export function splitMarkdown(markdown: string, maxChars: number): string[] {
  if (!Number.isInteger(maxChars) || maxChars < 1) {
    throw new RangeError(`splitMarkdown: maxChars must be a positive integer, got ${maxChars}`);
  }
  const source = markdown.replace(/\r\n?/g, "\n");
  const units: Unit[] = [];
  for (const token of lexBlocks(source)) {
    if (token.raw.length <= maxChars) {
      units.push({ text: token.raw });
      continue;
    }
    const parts = oversizedBlockUnits(token, maxChars);
    units.push(...parts.map((unit, index) => (index === 0 ? unit : { ...unit, midBlock: true })));
  }
  return packUnits(units, maxChars);
}

function oversizedBlockUnits(token: Token, max: number): Unit[] {
  if (token.type === "table") return tableUnits(token.raw, max);
  if (token.type === "list") {
    const items = (token as Tokens.List).items.map((item) => item.raw);
    const joined = items.join("");
    if (token.raw.startsWith(joined)) {
      const units = items.flatMap((raw) =>
        raw.length <= max ? [{ text: raw }] : lineUnits(raw, max),
      );
      const rest = token.raw.slice(joined.length);
      if (rest !== "") units.push({ text: rest });
      return units;
    }
  }
  return lineUnits(token.raw, max);
}

/** Lines of one block; a fenced code block stays one unit unless it alone is too long. */
function lineUnits(text: string, max: number): Unit[] {
  const lines = text.split(/(?<=\n)/);
  const units: Unit[] = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index] ?? "";
    const fence = openingFence(withoutNewline(line));
    if (fence === undefined) {
      units.push(...sizedUnits(line, max, undefined, undefined));
      index++;
      continue;
    }
    let end = index + 1;
    while (end < lines.length && !closesFence(withoutNewline(lines[end] ?? ""), fence)) end++;
    const closed = end < lines.length;
    const group = lines.slice(index, closed ? end + 1 : end);
    const groupText = group.join("");
    if (groupText.length <= max) units.push({ text: groupText });
    else units.push(...fenceUnits(group, fence, closed, max));
    index += group.length;
  }
  return endOfBlock(units);
}

function fenceUnits(lines: string[], fence: OpenFence, closed: boolean, max: number): Unit[] {
  const context = fitting({ reopen: `${fence.line}\n`, close: closingLine(fence) }, max);
  return lines.flatMap((line, index) => {
    if (index === 0) return sizedUnits(line, max, undefined, context, true);
    const isClosingLine = closed && index === lines.length - 1;
    return sizedUnits(line, max, context, isClosingLine ? undefined : context);
  });
}

/** Table rows; a table cut between rows repeats its header and delimiter row. */
function tableUnits(raw: string, max: number): Unit[] {
  const lines = raw.split(/(?<=\n)/);
  if (lines.length < 3) return lineUnits(raw, max);
  const header = `${lines[0]}${lines[1]}`;
  const context = header.length <= max / 2 ? { reopen: header, close: "" } : undefined;
  const rows = lines.slice(2).flatMap((row) => sizedUnits(row, max, context, context));
  return endOfBlock([...sizedUnits(header, max, undefined, context, true), ...rows]);
}

/**
 * One line as units that fit a chunk even in the worst case: starting with `sizing.reopen` and
 * ending with its close. Too long a line is cut; its inner pieces stay inside `sizing`.
 */
function sizedUnits(
  line: string,
  max: number,
  sizing: Context | undefined,
  open: Context | undefined,
  opens = false,
): Unit[] {
  const cost = sizing ? sizing.reopen.length + closeCost(sizing) : closeCost(open);
  if (line.length + cost <= max) return [{ text: line, open, opens }];
  return hardSplit(line, max - cost).map((piece, index, pieces) =>
    index === pieces.length - 1 ? { text: piece, open } : { text: piece, open: sizing },
  );
}

function packUnits(units: Unit[], max: number): string[] {
  const chunks: string[] = [];
  let prefix = "";
  let body = "";
  let open: Context | undefined;
  let openerStart: number | undefined;
  let startsMidBlock = false;
  for (const unit of units) {
    const size = prefix.length + body.length + unit.text.length + closeCost(unit.open);
    if (body !== "" && size > max) {
      // A chunk ending right after a fence line or table header would show an empty block;
      // the next chunk starts with that same markup anyway.
      const dangling = openerStart !== undefined;
      const kept = dangling ? body.slice(0, openerStart) : body;
      pushChunk(chunks, prefix, kept, dangling ? undefined : open, startsMidBlock);
      prefix = open?.reopen ?? "";
      body = "";
    }
    if (body === "") startsMidBlock = prefix !== "" || unit.midBlock === true;
    openerStart = unit.opens ? body.length : undefined;
    body += unit.text;
    open = unit.open;
  }
  pushChunk(chunks, prefix, body, undefined, startsMidBlock);
  return chunks;
}

function pushChunk(
  chunks: string[],
  prefix: string,
  body: string,
  open: Context | undefined,
  midBlock: boolean,
): void {
  const content = body.replace(/^(?:[ \t]*\n)+/, "").trimEnd();
  if (content.trim() === "") return;
  const close = open && open.close !== "" ? `\n${open.close}` : "";
  const chunk = `${prefix}${content}${close}`;
  chunks.push(midBlock ? dedentLeadingRun(chunk) : chunk);
}

/**
 * A chunk that starts inside a list item starts indented, and 4+ spaces at the start of a
 * message would turn the rest of the item into an indented code block. Remove the first line's
 * indentation from it and the following lines of the same item (those indented at least as far).
 */
function dedentLeadingRun(chunk: string): string {
  const lines = chunk.split("\n");
  const indent = /^ */.exec(lines[0] ?? "")?.[0].length ?? 0;
  if (indent === 0) return chunk;
  const margin = " ".repeat(indent);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? "";
    if (line.trim() === "") continue;
    if (!line.startsWith(margin)) break;
    lines[index] = line.slice(indent);
  }
  return lines.join("\n");
}

/** Nothing after a block's last line is inside that block. */
function endOfBlock(units: Unit[]): Unit[] {
  const last = units.at(-1);
  if (last !== undefined) units[units.length - 1] = { text: last.text };
  return units;
}

/** A context whose markup leaves room for content, or none (then cut without repeating it). */
function fitting(context: Context, max: number): Context | undefined {
  return context.reopen.length + closeCost(context) < max ? context : undefined;
}

function closeCost(context: Context | undefined): number {
  return context && context.close !== "" ? context.close.length + 1 : 0;
}

function withoutNewline(line: string): string {
  return line.endsWith("\n") ? line.slice(0, -1) : line;
}
