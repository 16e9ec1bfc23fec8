import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";

/** Debian's Chromium (`apt-get install -y chromium`; `.ci/run` installs it when missing). */
export const CHROMIUM = process.env.LARKGATE_CHROMIUM ?? "/usr/bin/chromium";

/** Where browser tests leave a screenshot of each page, for a reviewer to look at (ignored by git). */
export const SCREENSHOTS = fileURLToPath(new URL("../../screenshots/", import.meta.url));

/** Why the browser tests cannot run here (no Chromium), or undefined when they can. */
export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM)
    ? undefined
    : `no Chromium at ${CHROMIUM}: run \`apt-get install -y chromium\` (or set LARKGATE_CHROMIUM)`;
}

/** Starts headless Chromium; as root it needs --no-sandbox. Fails saying how to install it. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: run \`apt-get install -y chromium\``);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"], headless: true });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
