import { createRoute, type Route } from "./fake-lark-router.js";
import { type FakeLarkState, requireApp } from "./fake-lark-state.js";
import type { FakeRequest, FakeResponse } from "./fake-lark-types.js";
import { larkId } from "./ids.js";

/** Token lifetime and the re-issue threshold, from docs/lark-notes.md#tenant-token-errors. */
const TOKEN_LIFETIME_MS = 7200 * 1000;
const REISSUE_BELOW_MS = 30 * 60 * 1000;

/** Token endpoints (fields at the top level, not under `data`) and `bot/v3/info`. */
export function authRoutes(state: FakeLarkState): Route[] {
  return [
    createRoute("POST", "/open-apis/auth/v3/tenant_access_token/internal", (req) =>
      issueToken(state, req, false),
    ),
    createRoute("POST", "/open-apis/auth/v3/app_access_token/internal", (req) =>
      issueToken(state, req, true),
    ),
    createRoute("GET", "/open-apis/bot/v3/info", (req) => {
      const app = requireApp(state, req.appId);
      return {
        body: {
          code: 0,
          msg: "ok",
          bot: {
            activate_status: 2,
            app_name: app.botName,
            avatar_url: `https://fake-lark.invalid/avatar/${app.appId}.png`,
            ip_white_list: [],
            open_id: app.botOpenId,
          },
        },
      };
    }),
  ];
}

function issueToken(state: FakeLarkState, req: FakeRequest, withAppToken: boolean): FakeResponse {
  const appId = req.body?.app_id;
  const appSecret = req.body?.app_secret;
  if (typeof appId !== "string" || typeof appSecret !== "string") {
    return { body: { code: 10003, msg: "invalid param: app_id and app_secret are required" } };
  }
  const app = state.apps.get(appId);
  if (!app) return { body: { code: 10003, msg: `invalid param: app_id ${appId} not found` } };
  // Lark answers a wrong secret with HTTP 200 and a non-zero code (the SDK then throws).
  if (app.appSecret !== appSecret) return { body: { code: 10014, msg: "app secret invalid" } };

  const now = Date.now();
  let token: string | undefined;
  let expiresAt = 0;
  for (const [candidate, issued] of state.tokens) {
    if (issued.appId === appId && issued.expiresAt - now >= REISSUE_BELOW_MS) {
      token = candidate;
      expiresAt = issued.expiresAt;
    }
  }
  if (!token) {
    token = larkId("t-", 20);
    expiresAt = now + TOKEN_LIFETIME_MS;
    state.tokens.set(token, { appId, expiresAt });
  }
  const expire = Math.floor((expiresAt - now) / 1000);
  if (!withAppToken) {
    return { body: { code: 0, msg: "ok", tenant_access_token: token, expire } };
  }
  return {
    body: { code: 0, msg: "ok", app_access_token: token, tenant_access_token: token, expire },
  };
}
