/**
 * Just enough XML for Office documents, whose text sits in a handful of known elements: no
 * DOM, no dependency, and nothing that resolves entities beyond the five predefined ones and
 * character references (so no entity expansion attack).
 */

/** Every element `<tag …>…</tag>` (or `<tag/>`) of `xml`, in order, as its inner XML. */
export function elements(xml: string, tag: string): string[] {
  const found: string[] = [];
  const open = new RegExp(`<${escapeName(tag)}(?=[\\s/>])([^>]*)>`, "g");
  const close = `</${tag}>`;
  for (let match = open.exec(xml); match; match = open.exec(xml)) {
    if (match[1]!.endsWith("/")) {
      found.push("");
      continue;
    }
    const start = match.index + match[0].length;
    const end = closingIndex(xml, tag, start);
    if (end < 0) break;
    found.push(xml.slice(start, end));
    open.lastIndex = end + close.length;
  }
  return found;
}

/** An attribute of the first `<tag …>` in `xml`. */
export function attribute(xml: string, tag: string, name: string): string | undefined {
  const match = new RegExp(`<${escapeName(tag)}(?=[\\s/>])([^>]*)>`).exec(xml);
  if (!match) return undefined;
  const attr = new RegExp(`(?:^|\\s)${escapeName(name)}="([^"]*)"`).exec(match[1]!);
  return attr ? decodeEntities(attr[1]!) : undefined;
}

/** The text of every `<t>`-like element (`w:t`, `a:t`, `t`) in `xml`, joined. */
export function textOf(xml: string, tag: string): string {
  return elements(xml, tag)
    .map((inner) => decodeEntities(inner.replace(/<[^>]*>/g, "")))
    .join("");
}

/** The five predefined entities and character references; anything else is left as it is. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (whole, ref: string) => {
    const lower = ref.toLowerCase();
    if (lower.startsWith("#x")) return codePoint(Number.parseInt(lower.slice(2), 16), whole);
    if (lower.startsWith("#")) return codePoint(Number.parseInt(lower.slice(1), 10), whole);
    return { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" }[lower] ?? whole;
  });
}

function codePoint(value: number, whole: string): string {
  return Number.isInteger(value) && value >= 0 && value <= 0x10ffff
    ? String.fromCodePoint(value)
    : whole;
}

/** Where the element opened before `from` closes, counting nested ones of the same name. */
export function closingIndex(xml: string, tag: string, from: number): number {
  const pattern = new RegExp(`<(/?)${escapeName(tag)}(?=[\\s/>])([^>]*)>`, "g");
  pattern.lastIndex = from;
  let depth = 1;
  for (let match = pattern.exec(xml); match; match = pattern.exec(xml)) {
    if (match[1] === "/") depth--;
    else if (!match[2]!.endsWith("/")) depth++;
    if (depth === 0) return match.index;
  }
  return -1;
}

function escapeName(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
