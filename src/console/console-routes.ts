import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type Language, type Translate, translator } from "../i18n/translate.js";
import { sameToken } from "../server/same-token.js";
import { loadConsoleAssets } from "./console-assets.js";
import { consolePage } from "./console-layout.js";
import { consolePages } from "./console-pages.js";
import { type ConsoleRequest, type ConsoleRoutesOptions, sendPage } from "./console-request.js";
import {
  csrfToken,
  newSession,
  readCookie,
  SESSION_COOKIE,
  SESSION_MS,
  validSession,
} from "./console-session.js";
import { type Html, html } from "./html.js";
import { createLoginLimiter } from "./login-limiter.js";

/** No inline script or style anywhere, no framing, nothing loaded from another origin. */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/**
 * `/console`: the operator's web console, behind a session opened with ADMIN_TOKEN. Changes
 * are POSTs carrying the session's CSRF token; pages are rendered here, and the only script
 * is `/console/assets/console.js`.
 */
export function consoleRoutes(options: ConsoleRoutesOptions) {
  const assets = loadConsoleAssets();
  const limiter = createLoginLimiter();
  if (!options.token())
    options.logger.info("web console off: set ADMIN_TOKEN to enable /console (log in with it)");

  return (root: FastifyInstance) => {
    root.register(async (app) => {
      app.addHook("onRequest", async (request, reply) => {
        if (!request.url.startsWith("/console")) return;
        reply.header("content-security-policy", CSP);
        reply.header("x-frame-options", "DENY");
        reply.header("x-content-type-options", "nosniff");
        // Not no-referrer: with it, Chromium sends `Origin: null` on form posts, which the
        // same-origin check then refuses.
        reply.header("referrer-policy", "same-origin");
        reply.header("cache-control", "no-store");
        reply.header("cross-origin-opener-policy", "same-origin");
        if (!options.token()) {
          return reply
            .code(404)
            .type("text/plain; charset=utf-8")
            .send("The web console is off: set ADMIN_TOKEN on the gateway to enable /console.\n");
        }
      });

      app.get("/console/assets/:name", async (request, reply) => {
        const asset = assets.get((request.params as { name: string }).name);
        if (!asset) return reply.code(404).send({ code: "not_found", msg: "no such asset" });
        return reply
          .type(asset.type)
          .header("cache-control", "public, max-age=300")
          .send(asset.body);
      });

      app.get("/console/login", async (request, reply) => {
        const { t, lang } = language(request);
        return sendPage(reply, loginPage(t, lang));
      });

      app.post("/console/login", async (request, reply) => {
        const { t, lang } = language(request);
        const expected = options.token()!;
        if (!sameOrigin(request))
          return sendPage(reply.code(403), loginPage(t, lang, t("console.csrf")));
        const wait = limiter.retryAfterMs(request.ip);
        if (wait > 0) {
          reply.header("retry-after", String(Math.ceil(wait / 1000)));
          return sendPage(
            reply.code(429),
            loginPage(t, lang, t("console.login.limited", { minutes: Math.ceil(wait / 60_000) })),
          );
        }
        const given = formFields(request.body).get("token") ?? "";
        if (!sameToken(given, expected)) {
          limiter.failed(request.ip);
          request.log.warn({ ip: request.ip }, "console login refused");
          return sendPage(reply.code(401), loginPage(t, lang, t("console.login.wrong")));
        }
        limiter.succeeded(request.ip);
        request.log.info({ ip: request.ip }, "console login");
        const secure = request.protocol === "https" ? "; Secure" : "";
        reply.header(
          "set-cookie",
          `${SESSION_COOKIE}=${newSession(expected)}; Path=/console; HttpOnly; SameSite=Strict; Max-Age=${SESSION_MS / 1000}${secure}`,
        );
        return reply.redirect("/console/bots", 303);
      });

      // Everything below needs a session; changes also need its CSRF token.
      const session = async (request: FastifyRequest, reply: FastifyReply) => {
        const expected = options.token()!;
        const cookie = readCookie(request.headers.cookie, SESSION_COOKIE);
        if (!cookie || !validSession(cookie, expected)) {
          if (request.url.startsWith("/console/api/"))
            return reply.code(401).send({ code: "unauthorized", msg: "log in at /console/login" });
          return reply.redirect("/console/login", 303);
        }
        const csrf = csrfToken(cookie, expected);
        if (request.method === "POST") {
          const given =
            (request.headers["x-csrf-token"] as string | undefined) ??
            formFields(request.body).get("_csrf") ??
            "";
          if (!sameOrigin(request) || !sameToken(given, csrf)) {
            request.log.warn({ ip: request.ip, path: request.url }, "console change refused: CSRF");
            return reply
              .code(403)
              .type("text/plain; charset=utf-8")
              .send(language(request).t("console.csrf"));
          }
        }
        (request as FastifyRequest & { console?: ConsoleRequest }).console = {
          ...language(request),
          csrf,
        };
      };

      app.post("/console/logout", { preHandler: session }, async (_request, reply) => {
        reply.header(
          "set-cookie",
          `${SESSION_COOKIE}=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0`,
        );
        return reply.redirect("/console/login", 303);
      });

      consolePages(app, session, options);
    });
  };
}

/** The page in the browser's first language we speak: Chinese for `zh*`, else English. */
function language(request: FastifyRequest): { t: Translate; lang: Language } {
  const accept = String(request.headers["accept-language"] ?? "");
  const lang: Language = /^\s*zh/i.test(accept) ? "zh" : "en";
  return { t: translator(lang), lang };
}

/** A POST's Origin (sent by every current browser) must be this very host. */
function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

/** The fields of a urlencoded form body (kept raw as bytes by the server). */
export function formFields(body: unknown): URLSearchParams {
  if (Buffer.isBuffer(body)) return new URLSearchParams(body.toString("utf8"));
  return new URLSearchParams();
}

function loginPage(t: Translate, lang: Language, error?: string): string {
  const body: Html = html`${error ? html`<p class="bad" role="alert">${error}</p>` : ""}
<form method="post" action="/console/login" class="login">
<label>${t("console.login.token")}<input type="password" name="token" autocomplete="current-password" required autofocus></label>
<button type="submit">${t("console.login.submit")}</button>
</form>`;
  return consolePage({ t, lang, title: t("console.login.title"), body });
}
