import { Writable } from "node:stream";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { startBacklogWatch } from "../../../src/gateway/backlog-watch.js";
import { createIntake } from "../../../src/intake/intake.js";
import { createStore } from "../../../src/store/create-store.js";
import type { Store } from "../../../src/store/store.js";
import { waitFor } from "../../kit/wait-for.js";

function capturedLogger() {
  const lines: Array<{ level: number; msg: string; [key: string]: unknown }> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: pino({ level: "debug" }, sink) };
}

describe("the backlog watch", () => {
  let store: Store | undefined;
  let stop: (() => void) | undefined;
  afterEach(async () => {
    stop?.();
    await store?.close();
  });

  it("says when questions wait before their answer starts, and when it has caught up", async () => {
    store = await createStore("sqlite::memory:");
    const intake = createIntake({ store });
    for (const n of [1, 2, 3]) {
      await intake.enqueue(
        { botId: "bot", kind: "message", conversationKey: `c${n}`, payload: { n } },
        [`m${n}`],
      );
    }
    const { lines, logger } = capturedLogger();
    stop = startBacklogWatch({
      store,
      logger,
      concurrency: () => 4,
      warnAfterMs: 100,
      checkEveryMs: 20,
    });
    const warning = await waitFor(() => lines.find((l) => l.msg.startsWith("answers are falling")));
    expect(warning).toMatchObject({ level: 40, queued: 3, running: 0, concurrency: 4 });
    expect(warning.msg).toMatch(/WORKER_CONCURRENCY/);
    // Said once while it lasts, not at every check.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(lines.filter((l) => l.msg.startsWith("answers are falling"))).toHaveLength(1);
    expect(lines.some((l) => l.msg === "answers caught up with the questions")).toBe(false);

    // A worker gets through them.
    for (let job = await store.claimJob("w", 60_000); job; job = await store.claimJob("w", 60_000))
      await store.finishJob(job.id, "w", "done");
    const caughtUp = await waitFor(() =>
      lines.find((l) => l.msg === "answers caught up with the questions"),
    );
    expect(caughtUp).toMatchObject({ level: 30, queued: 0 });
  });
});
