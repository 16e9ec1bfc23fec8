import type { Translate } from "../../i18n/translate.js";
import type { ConsoleConfig } from "../console-views.js";
import { type Html, html } from "../html.js";

/** The effective configuration (masked) as YAML-like JSON, and the reload button. */
export function configPage(
  t: Translate,
  config: ConsoleConfig,
  csrf: string,
  result?: { ok: true; bots: string[] } | { ok: false; reason: string },
): Html {
  return html`${
    result
      ? html`<p class="reload-result ${result.ok ? "ok" : "bad"}">${
          result.ok
            ? t("console.config.reloaded", { bots: result.bots.join(", ") || "—" })
            : t("console.config.reload_failed", { reason: result.reason })
        }</p>`
      : ""
  }
<form method="post" action="/console/config/reload">
<input type="hidden" name="_csrf" value="${csrf}">
<button type="submit" id="reload">${t("console.config.reload")}</button>
</form>
<p>${t("console.config.source", { source: config.file ?? t("console.config.env_only") })}</p>
<p class="notice">${t("console.config.masked")}</p>
<pre class="config">${JSON.stringify(config.masked, null, 2)}</pre>`;
}
