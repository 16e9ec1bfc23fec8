import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeToolbarValue,
  encodeToolbarValue,
  type ToolbarAction,
} from "../../../src/messages/toolbar-action.js";

const text = fc.string({ minLength: 1 });
const action: fc.Arbitrary<ToolbarAction> = fc.oneof(
  fc.record({
    action: fc.constantFrom("stop" as const, "regenerate" as const, "new_chat" as const),
    messageId: text,
    conversationKey: text,
  }),
  fc.record({
    action: fc.constantFrom("picture_mode" as const, "picture_leave" as const, "usage" as const),
    conversationKey: text,
  }),
  fc.record({
    action: fc.constantFrom("model" as const, "picture_shape" as const, "picture_style" as const),
    conversationKey: text,
    param: text,
  }),
  fc.record(
    {
      action: fc.constantFrom("picture_again" as const, "picture_vary" as const),
      conversationKey: text,
      messageId: text,
      param: text,
      ref: text,
    },
    { requiredKeys: ["action", "conversationKey", "messageId", "param"] },
  ),
);

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
