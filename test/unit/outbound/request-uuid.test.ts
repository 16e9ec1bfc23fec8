import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  finalMessageUuid,
  liveCardUuid,
  MAX_REQUEST_UUID,
  noticeUuid,
  requestUuid,
} from "../../../src/lark/outbound/request-uuid.js";

describe("Lark request uuids", () => {
  it("keep what fits as it is, so uuids sent before this file existed stay the same", () => {
    expect(noticeUuid("om_123")).toBe("n-om_123");
    expect(liveCardUuid("a-om_123", 0)).toBe("a-om_123");
    expect(liveCardUuid("a-om_123", 2)).toBe("a-om_123-2");
    expect(finalMessageUuid("a-om_123", 0)).toBe("a-om_123-f");
    expect(finalMessageUuid("a-om_123", 1)).toBe("a-om_123-f1");
  });

  it("never exceed Lark's 50 characters, and distinct requests never share one", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(requestUuid(a).length).toBeLessThanOrEqual(MAX_REQUEST_UUID);
        if (a !== b) expect(requestUuid(a)).not.toBe(requestUuid(b));
      }),
    );
  });

  it("tell apart the parts of one long answer whose key is already near the limit", () => {
    const key = `r12a3-${"om_".padEnd(46, "x")}`;
    const parts = [0, 1, 2, 3].map((index) => finalMessageUuid(key, index));
    expect(new Set(parts).size).toBe(4);
    for (const uuid of parts) expect(uuid.length).toBeLessThanOrEqual(MAX_REQUEST_UUID);
  });
});
