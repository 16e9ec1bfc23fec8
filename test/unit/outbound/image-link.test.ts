import { describe, expect, it } from "vitest";
import {
  IMAGE_LINK_TTL_MS,
  signImageLink,
  verifyImageLink,
} from "../../../src/lark/outbound/image-link.js";

const SECRET = "app-secret-for-links";
const target = { botId: "kb", messageId: "om_1", imageKey: "img_v3_1" };
const NOW = Date.UTC(2026, 10, 21, 12);

/** The query of a signed link, as the route receives it. */
function queryOf(link: string): { expires?: string; signature?: string } {
  const url = new URL(link);
  return {
    expires: url.searchParams.get("expires") ?? undefined,
    signature: url.searchParams.get("signature") ?? undefined,
  };
}

describe("image links", () => {
  it("names the picture in the path and passes its own check until it expires", () => {
    const link = signImageLink("https://bot.example.com", SECRET, target, NOW);
    expect(link).toMatch(
      /^https:\/\/bot\.example\.com\/files\/kb\/om_1\/img_v3_1\?expires=\d+&signature=[\w-]+$/,
    );
    const query = queryOf(link);
    expect(verifyImageLink(SECRET, target, query, NOW)).toBe("ok");
    expect(verifyImageLink(SECRET, target, query, NOW + IMAGE_LINK_TTL_MS - 1000)).toBe("ok");
    expect(verifyImageLink(SECRET, target, query, NOW + IMAGE_LINK_TTL_MS + 1000)).toBe("expired");
  });

  it("refuses a link for another picture, bot or secret, a moved expiry, or no signature", () => {
    const query = queryOf(signImageLink("https://bot.example.com", SECRET, target, NOW));
    expect(verifyImageLink(SECRET, { ...target, imageKey: "img_v3_2" }, query, NOW)).toBe(
      "bad_signature",
    );
    expect(verifyImageLink(SECRET, { ...target, botId: "hr" }, query, NOW)).toBe("bad_signature");
    expect(verifyImageLink("another-secret", target, query, NOW)).toBe("bad_signature");
    const later = { ...query, expires: String(Number(query.expires) + 3600) };
    expect(verifyImageLink(SECRET, target, later, NOW)).toBe("bad_signature");
    expect(verifyImageLink(SECRET, target, { expires: query.expires }, NOW)).toBe("bad_signature");
    expect(verifyImageLink(SECRET, target, { ...query, expires: "soon" }, NOW)).toBe(
      "bad_signature",
    );
  });
});
