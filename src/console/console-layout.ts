import type { Translate } from "../i18n/translate.js";
import { type Html, html } from "./html.js";

export type ConsolePage = "bots" | "chat-log" | "usage" | "config";

const NAV: Array<[ConsolePage, Parameters<Translate>[0]]> = [
  ["bots", "console.nav.bots"],
  ["chat-log", "console.nav.chat_log"],
  ["usage", "console.nav.usage"],
  ["config", "console.nav.config"],
];

/** A whole console page: no inline script or style, so the CSP can forbid both. */
export function consolePage(options: {
  t: Translate;
  lang: string;
  title: string;
  current?: ConsolePage;
  /** The session's CSRF token, put into every form that changes something. */
  csrf?: string;
  body: Html;
}): string {
  const { t, csrf } = options;
  const nav = csrf
    ? html`<nav>${NAV.map(
        ([page, key]) =>
          html`<a href="/console/${page}"${options.current === page ? html` aria-current="page"` : ""}>${t(key)}</a>`,
      )}</nav>
      <form method="post" action="/console/logout" class="logout">
        <input type="hidden" name="_csrf" value="${csrf}">
        <button type="submit">${t("console.logout")}</button>
      </form>`
    : "";
  return html`<!doctype html>
<html lang="${options.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · larkgate</title>
<link rel="stylesheet" href="/console/assets/console.css">
<script type="module" src="/console/assets/console.js"></script>
</head>
<body>
<header><a class="brand" href="/console">larkgate</a>${nav}</header>
<main>
<h1>${options.title}</h1>
${options.body}
</main>
</body>
</html>
`.value;
}

/** Epoch ms as `YYYY-MM-DD HH:MM:SS` UTC: the same on every replica and in every export. */
export function formatTime(ms: number | undefined): string {
  if (ms === undefined) return "—";
  return `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}
