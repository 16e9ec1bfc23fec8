import { describe, expect, it } from "vitest";
import { LarkApiError } from "../../../src/lark/outbound/lark-api-error.js";

const cardContent = (sub: number, why: string) =>
  new LarkApiError("reply", {
    code: 230099,
    status: 400,
    msg: `Failed to create card content, ext=ErrCode: ${sub}; ErrMsg: ${why}; `,
  });

describe("LarkApiError", () => {
  it("reads the sub-code of a card content error (230099)", () => {
    expect(cardContent(11310, "card table number over limit").kind).toBe("table_limit");
    // An entity that is not there any more is gone, not a card Lark refuses to show.
    expect(cardContent(200740, "card entity 7 not found").kind).toBe("gone");
    expect(cardContent(200750, "card entity expired").kind).toBe("gone");
    expect(cardContent(300311, "the app is not the card entity's owner").kind).toBe("bad_request");
    expect(new LarkApiError("reply", { code: 230099, msg: "no sub-code" }).kind).toBe(
      "bad_request",
    );
  });

  it("retries only what may succeed later", () => {
    expect(new LarkApiError("reply", { code: 230020 }).retryable).toBe(true);
    expect(new LarkApiError("reply", { status: 503 }).retryable).toBe(true);
    expect(new LarkApiError("reply", {}).retryable).toBe(true); // no answer at all: network
    expect(new LarkApiError("reply", { code: 99991672 }).kind).toBe("missing_scope");
    expect(cardContent(200740, "not found").retryable).toBe(false);
  });
});
