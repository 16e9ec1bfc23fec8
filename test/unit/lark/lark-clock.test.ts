import { describe, expect, it } from "vitest";
import { createLarkClock } from "../../../src/lark/lark-clock.js";

const HOUR = 60 * 60 * 1000;

describe("Lark's clock", () => {
  it("stands in with the machine's clock until Lark has answered", () => {
    const machine = () => 1_000_000;
    expect(createLarkClock(machine).now()).toBe(1_000_000);
  });

  it("follows Lark's Date header, not a machine clock that is hours off", () => {
    const machine = () => Date.now() + 5 * HOUR;
    const clock = createLarkClock(machine);
    clock.observe(new Date().toUTCString());
    // Within the header's one-second resolution of the real time, not five hours ahead.
    expect(Math.abs(clock.now() - Date.now())).toBeLessThan(1_500);
  });

  it("ignores a missing or unreadable Date header", () => {
    const clock = createLarkClock(() => 42);
    clock.observe(undefined);
    clock.observe("not a date");
    expect(clock.now()).toBe(42);
  });
});
