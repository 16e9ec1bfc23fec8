const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * A `--since`/`--until` value as epoch ms: a duration back from `now` (`90s`, `15m`, `1h`,
 * `7d`, `2w`) or a date/time (`2026-11-21`, `2026-11-21T10:00`, with an offset or `Z` if
 * wanted). Dates and times without an offset are local time, like the times `logs` prints.
 */
export function parseTime(option: string, value: string, now = Date.now()): number {
  const text = value.trim();
  const duration = /^(\d+(?:\.\d+)?)\s*([smhdw])$/i.exec(text);
  if (duration?.[1] && duration[2]) {
    return now - Number(duration[1]) * (UNIT_MS[duration[2].toLowerCase()] ?? 0);
  }
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  // `Date.parse("2026-11-21")` is UTC midnight, while "2026-11-21T10:00" is local: make both local.
  const parsed = dateOnly
    ? new Date(Number(dateOnly[1]), Number(dateOnly[2]) - 1, Number(dateOnly[3])).getTime()
    : /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(text)
      ? Date.parse(text.replace(" ", "T"))
      : Number.NaN;
  if (Number.isNaN(parsed)) {
    throw new Error(
      `--${option} "${value}": use a duration back from now (30m, 2h, 7d) or a date/time (2026-11-21, 2026-11-21T10:00)`,
    );
  }
  return parsed;
}
