import { existsSync, readFileSync } from "node:fs";

/** Linux reports process CPU time in USER_HZ ticks, 100 per second on every mainstream kernel. */
const MS_PER_TICK = 10;

/** Resident and peak memory of a process in MB (Linux `/proc`); undefined elsewhere. */
export function processMemory(pid: number): { rssMb: number; peakRssMb: number } | undefined {
  const path = `/proc/${pid}/status`;
  if (!existsSync(path)) return undefined;
  const status = readFileSync(path, "utf8");
  const mb = (field: string) => {
    const kb = Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1]);
    return Math.round(kb / 102.4) / 10;
  };
  return { rssMb: mb("VmRSS"), peakRssMb: mb("VmHWM") };
}

/** CPU time (user + system) a process has used so far, in ms (Linux `/proc`); NaN elsewhere. */
export function processCpuMs(pid: number): number {
  const path = `/proc/${pid}/stat`;
  if (!existsSync(path)) return Number.NaN;
  const stat = readFileSync(path, "utf8");
  // Fields after the parenthesised command name start at field 3 (state); utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
}
