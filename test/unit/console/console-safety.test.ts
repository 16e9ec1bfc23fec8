import { describe, expect, it } from "vitest";
import { answerCardHtml } from "../../../src/console/card-html.js";
import { csvRow } from "../../../src/console/chat-log-export.js";
import { csrfToken, newSession, validSession } from "../../../src/console/console-session.js";
import { createLoginLimiter, LOGIN_WINDOW_MS } from "../../../src/console/login-limiter.js";
import { MASK, maskConfig } from "../../../src/console/mask-config.js";
import { newExchange } from "../../store/store-fixtures.js";

describe("console sessions", () => {
  it("accept a cookie the token signed until it expires, and nothing else", () => {
    const cookie = newSession("token-a", 1_000);
    expect(validSession(cookie, "token-a", 2_000)).toBe(true);
    expect(validSession(cookie, "token-b", 2_000)).toBe(false);
    expect(validSession(cookie, "token-a", 1_000 + 13 * 3600_000)).toBe(false);
    const [expires, signature] = cookie.split(".");
    expect(validSession(`${Number(expires) + 1}.${signature}`, "token-a", 2_000)).toBe(false);
    expect(validSession(undefined, "token-a")).toBe(false);
    expect(csrfToken(cookie, "token-a")).not.toBe(csrfToken(newSession("token-a", 5), "token-a"));
  });
});

describe("console login limit", () => {
  it("refuses an address after five wrong tokens until the window passes", () => {
    let now = 0;
    const limiter = createLoginLimiter(() => now);
    for (let i = 0; i < 5; i += 1) limiter.failed("10.0.0.1");
    expect(limiter.retryAfterMs("10.0.0.1")).toBe(LOGIN_WINDOW_MS);
    expect(limiter.retryAfterMs("10.0.0.2")).toBe(0);
    now = LOGIN_WINDOW_MS;
    expect(limiter.retryAfterMs("10.0.0.1")).toBe(0);
  });
});

describe("the console's config view", () => {
  it("masks secrets and database passwords, and keeps the rest", () => {
    const masked = maskConfig({
      databaseUrl: "postgres://larkgate:hunter2@db:5432/larkgate",
      adminToken: "admin",
      bots: [
        {
          id: "a",
          appSecret: "s",
          encryptKey: "",
          app: { apiKey: "k", apiKeys: ["k1"], model: "m" },
        },
      ],
    });
    expect(JSON.stringify(masked)).not.toMatch(/hunter2|"admin"|"s"|"k1?"/);
    expect(masked).toMatchObject({
      databaseUrl: `postgres://larkgate:${MASK}@db:5432/larkgate`,
      bots: [{ id: "a", appSecret: MASK, encryptKey: "", app: { apiKeys: [MASK], model: "m" } }],
    });
  });
});

describe("chat log export", () => {
  it("keeps a spreadsheet from running a message as a formula, and quotes what needs it", () => {
    const row = csvRow({
      ...newExchange({ question: '=HYPERLINK("x")', answer: 'a, "b"\nc' }),
      id: 7,
      inHistory: true,
      createdAt: 0,
    });
    expect(row).toContain(`"'=HYPERLINK(""x"")"`);
    expect(row).toContain(`"a, ""b""\nc"`);
  });
});

describe("answers rendered for the console", () => {
  it("show raw HTML and script links as text, as Lark does", () => {
    const out = answerCardHtml(
      '<img src=x onerror="alert(1)"> [click](javascript:alert(1)) **ok**',
    );
    expect(out).not.toContain("<img");
    expect(out).not.toContain('href="javascript');
    expect(out).not.toMatch(/<[^>]*onerror/);
    expect(out).toContain("<strong>ok</strong>");
  });

  it("render tables as tables", () => {
    const out = answerCardHtml("| a | b |\n| --- | --- |\n| 1 | 2 |");
    expect(out).toContain('<table class="card-table">');
    expect(out).toContain("<td>1</td>");
  });
});
