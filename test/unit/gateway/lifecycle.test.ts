import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createLifecycle } from "../../../src/gateway/lifecycle.js";

const quiet = pino({ level: "silent" });

describe("createLifecycle", () => {
  it("stops what it started in reverse order, once", async () => {
    const events: string[] = [];
    const life = createLifecycle(quiet);
    for (const name of ["store", "worker", "http"]) {
      await life.start(
        name,
        () => events.push(`start ${name}`),
        () => {
          events.push(`stop ${name}`);
        },
      );
    }
    await Promise.all([life.stop(), life.stop()]);
    expect(events).toEqual([
      "start store",
      "start worker",
      "start http",
      "stop http",
      "stop worker",
      "stop store",
    ]);
  });

  it("closes what was open when a later start fails, then throws that failure", async () => {
    const stopped: string[] = [];
    const life = createLifecycle(quiet);
    await life.start(
      "store",
      () => "db",
      (db) => void stopped.push(db),
    );
    await expect(
      life.start(
        "http",
        () => {
          throw new Error("EADDRINUSE 0.0.0.0:9000");
        },
        () => void stopped.push("http"),
      ),
    ).rejects.toThrow("EADDRINUSE");
    expect(stopped).toEqual(["db"]);
  });

  it("goes on stopping the rest when one stop fails", async () => {
    const stopped: string[] = [];
    const life = createLifecycle(quiet);
    await life.start(
      "store",
      () => 1,
      () => void stopped.push("store"),
    );
    await life.start(
      "worker",
      () => 2,
      () => {
        throw new Error("stuck");
      },
    );
    await life.stop();
    expect(stopped).toEqual(["store"]);
  });
});
