import http from "node:http";
import { authRoutes } from "./fake-lark-auth-routes.js";
import { cardkitRoutes } from "./fake-lark-cardkit-routes.js";
import { directoryRoutes } from "./fake-lark-directory-routes.js";
import { createRequestListener } from "./fake-lark-dispatch.js";
import { fileRoutes } from "./fake-lark-file-routes.js";
import { imageRoutes } from "./fake-lark-image-routes.js";
import { messageRoutes } from "./fake-lark-message-routes.js";
import { createPusher } from "./fake-lark-push.js";
import { reactionRoutes } from "./fake-lark-reaction-routes.js";
import { resourceKey, resourceRoutes } from "./fake-lark-resource-routes.js";
import { createRoute, pathMatches, type Route } from "./fake-lark-router.js";
import { speechRoutes } from "./fake-lark-speech-routes.js";
import {
  clearState,
  createState,
  type FakeLarkState,
  type InboundRecord,
} from "./fake-lark-state.js";
import type { FakeApp, FakeLark, FakeLarkOptions } from "./fake-lark-types.js";
import { closeServer, listenLocal } from "./http-json.js";
import { larkId, randomHex } from "./ids.js";
import { waitFor } from "./wait-for.js";

export type * from "./fake-lark-types.js";
export { messageText } from "./message-text.js";

/**
 * An in-process Lark Open Platform on 127.0.0.1: tokens, bot info, IM messages, reactions and
 * CardKit, with the limits and error codes of the real one, plus `push()` to deliver events.
 *
 * @example
 * const fake = await createFakeLark();
 * const client = new lark.Client({ appId: fake.app.appId, appSecret: fake.app.appSecret,
 *   domain: fake.url, cache: new lark.DefaultCache() });
 * await fake.push(`${gatewayUrl}/webhook/lark`, messageEvent({ appId: fake.app.appId, … }));
 * const [reply] = await fake.waitForMessages(1);
 */
export async function createFakeLark(options: FakeLarkOptions = {}): Promise<FakeLark> {
  const state = createState(options.limits);
  const routes: Route[] = [
    ...authRoutes(state),
    ...messageRoutes(state),
    ...reactionRoutes(state),
    ...cardkitRoutes(state),
    ...resourceRoutes(state),
    ...imageRoutes(state),
    ...fileRoutes(state),
    ...speechRoutes(state),
    ...directoryRoutes(state),
  ];
  const server = http.createServer(createRequestListener(state, routes));
  const port = await listenLocal(server);
  const pusher = createPusher((envelope) => rememberInbound(state, envelope));

  const addApp = (partial: Partial<FakeApp>): FakeApp => {
    const app: FakeApp = {
      appId: partial.appId ?? `cli_${randomHex(8)}`,
      appSecret: partial.appSecret ?? randomHex(16),
      botOpenId: partial.botOpenId ?? larkId("ou_"),
      botName: partial.botName ?? "Fake Bot",
    };
    state.apps.set(app.appId, app);
    return app;
  };
  const app = addApp(options);

  const recentCalls = () =>
    state.calls
      .slice(-10)
      .map((c) => `  ${c.method} ${c.path} → ${c.status} code=${c.code ?? "-"}`)
      .join("\n") || "  (no API calls)";

  const fake: FakeLark = {
    url: `http://127.0.0.1:${port}`,
    server,
    app,
    apps: state.apps,
    addApp,
    addRoute: (method, path, handler) => routes.push(createRoute(method, path, handler)),
    calls: state.calls,
    callsTo: (pattern, method) =>
      state.calls.filter(
        (c) => (!method || c.method === method.toUpperCase()) && pathMatches(pattern, c.path),
      ),
    messages: state.messages,
    cards: state.cards,
    reactions: state.reactions,
    images: state.images,
    uploadedFiles: state.uploadedFiles,
    speech: {
      requests: state.speech.requests,
      script: (script) => state.speech.scripts.push(script),
    },
    inject: (rule) => {
      // The caller's object is the one the fake counts on (`taken`).
      const live = Object.assign(rule, { remaining: rule.times ?? 1, taken: 0 });
      state.injections.push(live);
    },
    revokeScope: (appId, scope) => {
      const revoked = state.revokedScopes.get(appId) ?? new Set<string>();
      state.revokedScopes.set(appId, revoked.add(scope));
    },
    grantScope: (appId, scope) => {
      state.revokedScopes.get(appId)?.delete(scope);
    },
    invalidateTokens: (appId) => {
      for (const [token, issued] of state.tokens) {
        if (!appId || issued.appId === appId) state.tokens.delete(token);
      }
    },
    rememberInbound: (envelope) => rememberInbound(state, envelope),
    addResource: (messageId, fileKey, data, contentType = "image/png") => {
      state.resources.set(resourceKey(messageId, fileKey), { data, contentType });
    },
    addPerson: (openId, name) => {
      state.people.set(openId, name);
    },
    addGroup: (chatId, name) => {
      state.groups.set(chatId, { name, chatType: "group" });
    },
    addForwarded: (forwardId, children) => {
      state.forwards.set(forwardId, children);
    },
    waitFor: (predicate, timeoutMs) => waitFor(predicate, { timeoutMs, describe: recentCalls }),
    waitForMessages: (count, filter, timeoutMs) =>
      waitFor(
        () => {
          const found = filter ? state.messages.filter(filter) : state.messages.slice();
          return found.length >= count ? found : undefined;
        },
        {
          timeoutMs,
          label: `${count} bot message(s)${filter ? " matching the filter" : ""}`,
          describe: () => `messages so far: ${state.messages.length}\n${recentCalls()}`,
        },
      ),
    push: pusher.push,
    pushWithRetries: pusher.pushWithRetries,
    reset: () => clearState(state),
    close: async () => {
      pusher.close();
      await closeServer(server);
    },
  };
  return fake;
}

/** Records a pushed `im.message.receive_v1` so replies to it land in its chat and thread. */
function rememberInbound(state: FakeLarkState, envelope: unknown): void {
  const env = envelope as {
    header?: { event_type?: string };
    event?: { sender?: { sender_id?: { open_id?: string } }; message?: Record<string, unknown> };
  };
  const message = env?.event?.message;
  if (env?.header?.event_type !== "im.message.receive_v1" || !message) return;
  const str = (value: unknown) => (typeof value === "string" && value ? value : undefined);
  const messageId = str(message.message_id);
  if (!messageId || state.inbound.get(messageId)?.msgType) return;
  state.inbound.set(messageId, {
    messageId,
    chatId: str(message.chat_id) ?? "",
    threadId: str(message.thread_id),
    rootId: str(message.root_id),
    parentId: str(message.parent_id),
    msgType: str(message.message_type),
    content: str(message.content),
    senderOpenId: env.event?.sender?.sender_id?.open_id,
    createTime: str(message.create_time),
    mentions: readBackMentions(message.mentions),
  });
}

/** Event mentions (`id: {open_id}`) in the shape `GET /im/v1/messages/:id` gives them. */
function readBackMentions(value: unknown): InboundRecord["mentions"] {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return value.map((m: { key?: string; id?: { open_id?: string }; name?: string }) => ({
    key: m.key ?? "",
    id: m.id?.open_id ?? "",
    id_type: "open_id" as const,
    name: m.name ?? "",
  }));
}
