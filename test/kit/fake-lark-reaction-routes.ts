import { createRoute, type Route } from "./fake-lark-router.js";
import {
  type FakeLarkState,
  LarkFault,
  larkOk,
  looksLikeMessageId,
  requireApp,
} from "./fake-lark-state.js";
import type { FakeReaction, FakeRequest, FakeResponse } from "./fake-lark-types.js";
import { randomHex } from "./ids.js";

const SCOPE = "im:message.reactions:write_only";
const BASE = "/open-apis/im/v1/messages/:message_id/reactions";

/** Reactions (the "typing" indicator): add and delete (Lark's message-reaction API). */
export function reactionRoutes(state: FakeLarkState): Route[] {
  return [
    createRoute("POST", BASE, (req) => add(state, req), SCOPE),
    createRoute("DELETE", `${BASE}/:reaction_id`, (req) => remove(state, req), SCOPE),
  ];
}

function add(state: FakeLarkState, req: FakeRequest): FakeResponse {
  const app = requireApp(state, req.appId);
  const messageId = req.params.message_id ?? "";
  const own = state.messagesById.get(messageId);
  if (own?.deleted || (!own && !looksLikeMessageId(messageId))) {
    throw new LarkFault(231003, `message ${messageId} not found or was withdrawn`);
  }
  const emojiType = req.body?.reaction_type?.emoji_type;
  if (typeof emojiType !== "string" || !emojiType) {
    throw new LarkFault(231001, "invalid reaction type: reaction_type.emoji_type is required");
  }
  const reaction: FakeReaction = {
    reactionId: `ZCaCIjUBVVWSrm5L-${randomHex(12)}`,
    messageId,
    appId: app.appId,
    emojiType,
    deleted: false,
  };
  state.reactions.push(reaction);
  return larkOk(reactionData(reaction));
}

function remove(state: FakeLarkState, req: FakeRequest): FakeResponse {
  const app = requireApp(state, req.appId);
  const reaction = state.reactions.find(
    (r) =>
      r.reactionId === req.params.reaction_id &&
      r.messageId === req.params.message_id &&
      !r.deleted,
  );
  if (!reaction) throw new LarkFault(231003, "reaction not found on this message");
  if (reaction.appId !== app.appId) {
    throw new LarkFault(231002, "no permission: only the app's own reactions can be deleted");
  }
  reaction.deleted = true;
  return larkOk(reactionData(reaction));
}

function reactionData(r: FakeReaction) {
  return {
    reaction_id: r.reactionId,
    operator: { operator_id: r.appId, operator_type: "app" },
    action_time: String(Date.now()),
    reaction_type: { emoji_type: r.emojiType },
  };
}
