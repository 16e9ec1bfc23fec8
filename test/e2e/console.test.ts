import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumMissing, launchChromium, screenshot } from "./browser.js";
import { useE2eKit } from "./e2e-kit.js";

const ADMIN_TOKEN = "console-e2e-admin-token-0123456789";
const ANSWER = [
  "The **zebrafinch** nests in Australia.",
  "",
  "| bird | home |",
  "| --- | --- |",
  "| zebrafinch | Australia |",
].join("\n");

/**
 * The web console in a real Chromium against the real gateway: what an operator sees when
 * they open /console to check whether a question arrived and how it was answered.
 */
const noChromium = chromiumMissing();
if (noChromium && process.env.CI)
  throw new Error(`The console must be tested in CI: ${noChromium}`);
if (noChromium) console.warn(`Skipping the console's browser tests: ${noChromium}`);

describe.skipIf(Boolean(noChromium))("web console (e2e, Chromium)", () => {
  const kit = useE2eKit({
    resetEachTest: false,
    env: (k) => ({ ...k.defaultBotEnv(), ADMIN_TOKEN, OPENAI_MODEL: "fake-model" }),
  });
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ locale: "en-US" });
  });
  afterAll(async () => browser?.close());

  const consoleUrl = (path: string) => `${kit.gateway.url}/console${path}`;

  it("sends to the login page without a session, and refuses a wrong token", async () => {
    await page.goto(consoleUrl("/chat-log"));
    expect(new URL(page.url()).pathname).toBe("/console/login");
    await page.fill("input[name=token]", "not-the-token");
    await page.click("button[type=submit]");
    await expect.poll(() => page.textContent("[role=alert]")).toContain("not the admin token");
    expect(new URL(page.url()).pathname).toBe("/console/login");
    const api = await fetch(consoleUrl("/api/chat-log"));
    expect(api.status).toBe(401);
  });

  it("logs in with ADMIN_TOKEN and shows the bot, its delivery mode and Request URLs", async () => {
    await page.goto(consoleUrl("/login"));
    await screenshot(page, "login");
    await page.fill("input[name=token]", ADMIN_TOKEN);
    await page.click("button[type=submit]");
    await page.waitForURL(/\/console\/bots$/);
    const bot = page.locator("section.bot[data-bot=default]");
    expect(await bot.locator(".mode").textContent()).toBe("webhook (Request URL)");
    expect(await bot.locator("code.request-url").allTextContents()).toEqual([
      `${kit.gateway.url}/webhook/event`,
      `${kit.gateway.url}/webhook/card`,
    ]);
    expect(await bot.textContent()).toContain(kit.lark.app.appId);
    // The secret itself never reaches the browser.
    expect(await page.content()).not.toContain(kit.lark.app.appSecret);
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === "larkgate_console")).toMatchObject({
      httpOnly: true,
      sameSite: "Strict",
    });
    await screenshot(page, "bots");
  });

  it("finds an exchange by a word from its answer and shows the thread as Lark rendered it", async () => {
    kit.llm.script({ text: ANSWER });
    const event = kit.message("Where does the little striped bird live?", { chatId: "oc_console" });
    await kit.push(event);
    await kit.answersTo(event.event.message.message_id);
    // The exchange is recorded once the answer is final.
    await expect
      .poll(async () => {
        await page.goto(consoleUrl("/chat-log?q=ZEBRAFINCH"));
        return page.locator("table.log tbody tr").count();
      })
      .toBe(1);
    expect(await page.locator("table.log td.q").textContent()).toBe(
      "Where does the little striped bird live?",
    );
    await screenshot(page, "chat-log");
    await page.goto(consoleUrl("/chat-log?q=ostrich"));
    expect(await page.locator("table.log").count()).toBe(0);

    await page.goto(consoleUrl("/chat-log?q=zebrafinch"));
    await page.locator("table.log td a").first().click();
    await page.waitForURL(/\/console\/chat-log\/\d+$/);
    const answer = page.locator(".turn.focused .answer");
    expect(await answer.locator("strong").textContent()).toBe("zebrafinch");
    expect(await answer.locator("table.card-table td").allTextContents()).toEqual([
      "zebrafinch",
      "Australia",
    ]);
    expect(await page.locator(".turn.focused .facts").textContent()).toContain("fake-model");
    await screenshot(page, "thread");
  });

  it("exports the chat log as JSONL and CSV", async () => {
    const cookie = (await page.context().cookies()).find((c) => c.name === "larkgate_console")!;
    const headers = { cookie: `${cookie.name}=${cookie.value}` };
    const jsonl = await fetch(consoleUrl("/api/chat-log.jsonl?q=zebrafinch"), { headers });
    const lines = (await jsonl.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ chat_id: "oc_console", answer: ANSWER, status: "done" });
    const csv = await (
      await fetch(consoleUrl("/api/chat-log.csv?q=zebrafinch"), { headers })
    ).text();
    expect(csv.split("\r\n")[0]).toMatch(/^id,created_at,bot_id,/);
    expect(csv).toContain('"Where does the little striped bird live?"'.slice(1, -1));
  });

  it("charts usage per day and reloads the configuration with its result", async () => {
    await page.goto(consoleUrl("/usage"));
    const chart = page.locator("section.usage[data-bot=default] svg.chart");
    expect(await chart.count()).toBe(1);
    expect(await page.locator("table.usage-table tbody tr").first().textContent()).toContain(
      "fake-model",
    );
    await screenshot(page, "usage");

    await page.goto(consoleUrl("/config"));
    expect(await page.locator("pre.config").textContent()).toContain("••••");
    expect(await page.content()).not.toContain(kit.lark.app.appSecret);
    expect(await page.content()).not.toContain(ADMIN_TOKEN);
    await page.click("#reload");
    expect(await page.locator(".reload-result").textContent()).toBe("Reloaded. Bots now: default.");
    await screenshot(page, "config");
  });

  it("refuses a change without the session's CSRF token", async () => {
    const cookie = (await page.context().cookies()).find((c) => c.name === "larkgate_console")!;
    const response = await fetch(consoleUrl("/api/reload"), {
      method: "POST",
      headers: { cookie: `${cookie.name}=${cookie.value}` },
    });
    expect(response.status).toBe(403);
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });

  it("logs out, and then the console asks for the token again", async () => {
    await page.goto(consoleUrl("/bots"));
    await page.click(".logout button");
    await page.waitForURL(/\/console\/login$/);
    await page.goto(consoleUrl("/bots"));
    expect(new URL(page.url()).pathname).toBe("/console/login");
  });

  it("limits wrong logins from one address", async () => {
    const tryToken = (token: string) =>
      fetch(consoleUrl("/login"), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token }).toString(),
        redirect: "manual",
      });
    // The browser's login reset the count of the first test's wrong token.
    for (let i = 0; i < 5; i += 1) expect((await tryToken("guess")).status).toBe(401);
    const limited = await tryToken(ADMIN_TOKEN);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("web console without ADMIN_TOKEN (e2e)", () => {
  const kit = useE2eKit();

  it("does not exist, and the log says how to enable it", async () => {
    const response = await fetch(`${kit.gateway.url}/console/login`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("set ADMIN_TOKEN");
    expect(kit.gateway.logs.some((l) => l.msg.includes("set ADMIN_TOKEN to enable /console"))).toBe(
      true,
    );
  });
});
