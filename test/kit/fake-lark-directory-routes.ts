import { createRoute, type Route } from "./fake-lark-router.js";
import { type FakeLarkState, LarkFault, larkOk, requireApp } from "./fake-lark-state.js";
import type { FakeRequest, FakeResponse } from "./fake-lark-types.js";

/** Lark's scopes for reading a user's basic profile and a chat's information. */
export const CONTACT_SCOPE = "contact:user.base:readonly";
export const CHAT_SCOPE = "im:chat:readonly";

/**
 * Who people and chats are: `contact/v3/users/:user_id` (open ids) and `im/v1/chats/:chat_id`,
 * with the names tests gave (`addPerson`, `addGroup`); unknown ids are Lark's "not found".
 */
export function directoryRoutes(state: FakeLarkState): Route[] {
  return [
    createRoute(
      "GET",
      "/open-apis/contact/v3/users/:user_id",
      (req) => user(state, req),
      CONTACT_SCOPE,
    ),
    createRoute("GET", "/open-apis/im/v1/chats/:chat_id", (req) => chat(state, req), CHAT_SCOPE),
  ];
}

function user(state: FakeLarkState, req: FakeRequest): FakeResponse {
  requireApp(state, req.appId);
  const openId = req.params.user_id ?? "";
  const name = state.people.get(openId);
  if (name === undefined)
    throw new LarkFault(41050, `no user ${openId} in the app's contact range`);
  return larkOk({ user: { open_id: openId, name } });
}

function chat(state: FakeLarkState, req: FakeRequest): FakeResponse {
  requireApp(state, req.appId);
  const chatId = req.params.chat_id ?? "";
  const group = state.groups.get(chatId);
  if (!group) throw new LarkFault(232011, `the bot is not in chat ${chatId}`);
  return larkOk({
    name: group.name,
    chat_mode: "group",
    chat_type: "private",
    chat_status: "normal",
  });
}
