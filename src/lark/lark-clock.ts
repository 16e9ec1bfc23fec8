/**
 * Lark's clock as this process can know it without trusting its own: the `Date` header of
 * Lark's last answer, moved on by the monotonic clock since (which an NTP step, a VM restored
 * from a snapshot or an operator's `date -s` does not move). The signature window of a push
 * and a message's age are judged by it, so a machine clock hours off neither refuses every
 * push nor ignores every message as too old. Until Lark has answered once, the machine's
 * clock stands in. The header counts whole seconds, which is ample for windows of minutes.
 */
export interface LarkClock {
  /** Epoch milliseconds, by Lark's clock as last seen. */
  now(): number;
  /** Learns from an answer's `Date` header (ignored when missing or unreadable). */
  observe(dateHeader: string | undefined): void;
}

export function createLarkClock(machine: () => number = Date.now): LarkClock {
  let seen: { larkMs: number; at: number } | undefined;
  return {
    now() {
      if (!seen) return machine();
      return seen.larkMs + (performance.now() - seen.at);
    },
    observe(dateHeader) {
      if (!dateHeader) return;
      const larkMs = Date.parse(dateHeader);
      if (Number.isNaN(larkMs)) return;
      // Half a second: the header truncates to the second it was written in.
      seen = { larkMs: larkMs + 500, at: performance.now() };
    },
  };
}

/** The process's one Lark clock: every bot talks to the same platform's servers. */
export const larkClock = createLarkClock();
