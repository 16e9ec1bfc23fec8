import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeToolbarValue,
  encodeToolbarValue,
  type ToolbarAction,
} from "../../../src/messages/toolbar-action.js";

const action: fc.Arbitrary<ToolbarAction> = fc.record({
  action: fc.constantFrom("stop" as const, "regenerate" as const, "new_chat" as const),
  messageId: fc.string({ minLength: 1 }),
  conversationKey: fc.string({ minLength: 1 }),
});

describe("toolbar button values", () => {
  it("decode to the action they were built from, after a JSON trip through Lark", () => {
    fc.assert(
      fc.property(action, (a) => {
        const wire = JSON.parse(JSON.stringify(encodeToolbarValue(a)));
        expect(decodeToolbarValue(wire)).toEqual(a);
      }),
    );
  });

  it("still work on cards sent before values carried a version", () => {
    expect(decodeToolbarValue({ a: "regenerate", m: "om_1", k: "p2p:oc_1" })).toEqual({
      action: "regenerate",
      messageId: "om_1",
      conversationKey: "p2p:oc_1",
    });
  });

  it("are not guessed at from a newer version or someone else's button", () => {
    expect(decodeToolbarValue({ v: 2, a: "stop", m: "om_1", k: "p2p:oc_1" })).toBeUndefined();
    expect(decodeToolbarValue({ a: "delete", m: "om_1", k: "p2p:oc_1" })).toBeUndefined();
    expect(decodeToolbarValue({ a: "stop", m: "", k: "p2p:oc_1" })).toBeUndefined();
    expect(decodeToolbarValue({ action: "regenerate" })).toBeUndefined();
    expect(decodeToolbarValue({ a: "constructor", m: "om_1", k: "p2p:oc_1" })).toBeUndefined();
  });
});
