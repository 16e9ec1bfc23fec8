import { attribute, decodeEntities } from "./xml-text.js";

/**
 * Excel's built-in number formats that are dates or times (ECMA-376 part 1, §18.8.30): 14–22,
 * and the East Asian ones (27–36, 50–58) that Chinese and Japanese Excel writes for dates.
 */
const BUILT_IN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51,
  52, 53, 54, 55, 56, 57, 58,
]);

const DAY_MS = 24 * 60 * 60 * 1000;
/** Day 0 of the 1900 system as Excel counts it (its phantom 29 Feb 1900 included). */
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);

/** What each cell style (the `s` of a cell) shows: a date, a time of day, both, or a number. */
export type StyleKinds = Array<"date" | "time" | "datetime" | undefined>;

/** The kinds of xl/styles.xml's `cellXfs`, by style index. */
export function styleKinds(stylesXml: string): StyleKinds {
  const custom = new Map<number, string>();
  for (const fmt of stylesXml.match(/<numFmt\b[^>]*>/g) ?? []) {
    const id = Number(attribute(fmt, "numFmt", "numFmtId"));
    const code = attribute(fmt, "numFmt", "formatCode");
    if (Number.isInteger(id) && code !== undefined) custom.set(id, decodeEntities(code));
  }
  const cellXfs = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(stylesXml)?.[1] ?? "";
  return (cellXfs.match(/<xf\b[^>]*>/g) ?? []).map((xf) => {
    const id = Number(attribute(xf, "xf", "numFmtId") ?? 0);
    const code = custom.get(id);
    if (code !== undefined) return formatKind(code);
    if (!BUILT_IN_DATE_FORMATS.has(id)) return undefined;
    if ([18, 19, 20, 21, 45, 46, 47].includes(id)) return "time";
    return id === 22 ? "datetime" : "date";
  });
}

/** A custom format code's kind: date and time tokens outside quotes, escapes and [colours]. */
function formatKind(code: string): StyleKinds[number] {
  const bare = code.replace(/"[^"]*"|\\.|\[[^\]]*\]/g, "").toLowerCase();
  const date = /[dy]/.test(bare) || /m{3,}/.test(bare);
  const time = /[hs]/.test(bare);
  if (date && time) return "datetime";
  if (date) return "date";
  // `m` alone next to h or s is minutes; a bare `mm` with no date part is not a date either.
  return time ? "time" : undefined;
}

/** A serial day number as ISO-like text: `2024-03-01`, `2024-03-01 14:30`, `14:30:05`. */
export function serialText(serial: number, kind: "date" | "time" | "datetime", date1904: boolean) {
  const ms = Math.round(serial * DAY_MS) + (date1904 ? EPOCH_1904 : EPOCH_1900);
  const iso = new Date(ms).toISOString();
  const day = iso.slice(0, 10);
  const clock = iso.slice(11, iso.slice(17, 19) === "00" ? 16 : 19);
  if (kind === "date") return day;
  if (kind === "time") return clock;
  return `${day} ${clock}`;
}
