import { readFileSync } from "node:fs";

/**
 * Loaded into a gateway with `node --import` by the clock-jump scenario: the process's wall
 * clock (`Date.now()`, `new Date()`) runs `offset` ms from the real one, where `offset` is read
 * from LARKGATE_FAULT_CLOCK_FILE at start and again on each SIGUSR2 — a clock stepped by NTP,
 * a VM restored from a snapshot, an operator's `date -s`. The monotonic clock
 * (`performance.now()`) and timers do not move, as they do not on a real machine.
 */
const file = process.env.LARKGATE_FAULT_CLOCK_FILE;
if (file) {
  const RealDate = Date;
  let offsetMs = 0;
  const read = () => {
    try {
      offsetMs = Number(readFileSync(file, "utf8").trim()) || 0;
    } catch {
      offsetMs = 0;
    }
  };
  read();
  process.on("SIGUSR2", read);
  class ShiftedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(RealDate.now() + offsetMs);
      else super(...(args as [string]));
    }
    static override now(): number {
      return RealDate.now() + offsetMs;
    }
  }
  globalThis.Date = ShiftedDate as DateConstructor;
}
