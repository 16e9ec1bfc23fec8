import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, hideSecrets } from "../../../src/cli/create-logger.js";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: createLogger("info", stream) };
}

describe("the gateway's logger", () => {
  it("never writes a configured secret, whatever object it sits in", () => {
    const { lines, logger } = capture();
    const bot = { id: "sales", appId: "cli_1", appSecret: "s3cret", encryptKey: "enc-key" };
    logger.info(
      {
        bot,
        app: { apiKey: "sk-live-1", apiKeys: ["sk-live-1", "sk-live-2"] },
        admin: { adminToken: "t0k" },
      },
      "config",
    );
    logger.child({ current: { verificationToken: "vt-1" } }).warn("reloaded");
    logger
      .child({ botId: "sales" })
      .child({ next: { appSecret: "s3cret" } })
      .info("grandchild");
    const written = JSON.stringify(lines);
    for (const secret of ["s3cret", "enc-key", "sk-live-1", "sk-live-2", "t0k", "vt-1"]) {
      expect(written).not.toContain(secret);
    }
    expect(lines[0]).toMatchObject({
      msg: "config",
      service: "larkgate",
      bot: { id: "sales", appId: "cli_1", appSecret: "***", encryptKey: "***" },
      app: { apiKey: "***", apiKeys: "***" },
    });
    expect(lines[1]).toMatchObject({ msg: "reloaded", current: { verificationToken: "***" } });
    expect(lines[2]).toMatchObject({ botId: "sales", next: { appSecret: "***" } });
    // The caller's objects keep their values.
    expect(bot.appSecret).toBe("s3cret");
  });

  it("leaves lines without secrets as they are", () => {
    const plain = { botId: "default", messageId: "om_1", outcome: "accepted", nested: { a: 1 } };
    expect(hideSecrets(plain)).toBe(plain);
    const { lines, logger } = capture();
    logger.info(plain, "message received");
    expect(lines[0]).toMatchObject({ ...plain, msg: "message received" });
  });
});
