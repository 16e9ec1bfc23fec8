import { createHmac } from "node:crypto";
import { sameToken } from "../server/same-token.js";

export const SESSION_COOKIE = "larkgate_console";
/** A session lasts a working day; logging in again is cheap. */
export const SESSION_MS = 12 * 3600_000;

/**
 * Sessions are signed with a key derived from ADMIN_TOKEN, so every replica accepts the same
 * cookie without shared state, and changing the token (then reloading) ends every session.
 */
function sessionKey(adminToken: string): Buffer {
  return createHmac("sha256", adminToken).update("larkgate console session v1").digest();
}

function sign(adminToken: string, what: string): string {
  return createHmac("sha256", sessionKey(adminToken)).update(what).digest("base64url");
}

/** The cookie value of a new session: its expiry and a signature over it. */
export function newSession(adminToken: string, now = Date.now()): string {
  const expires = String(now + SESSION_MS);
  return `${expires}.${sign(adminToken, `session:${expires}`)}`;
}

/** Whether a cookie value is a session this token signed, not yet expired. */
export function validSession(value: string | undefined, adminToken: string, now = Date.now()) {
  if (!value) return false;
  const [expires, signature, ...rest] = value.split(".");
  if (!expires || !signature || rest.length > 0 || !/^\d+$/.test(expires)) return false;
  if (!sameToken(signature, sign(adminToken, `session:${expires}`))) return false;
  return Number(expires) > now;
}

/**
 * The CSRF token of a session, sent back in `x-csrf-token` by the console's script on every
 * change; a page on another site can neither read it nor (SameSite=Strict) send the cookie.
 */
export function csrfToken(session: string, adminToken: string): string {
  return sign(adminToken, `csrf:${session}`);
}

/** The value of one cookie in a `Cookie` header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=");
  }
  return undefined;
}
