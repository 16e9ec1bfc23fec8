import { createRoute, type Route } from "./fake-lark-router.js";
import { type FakeLarkState, LarkFault, requireApp } from "./fake-lark-state.js";
import type { FakeRequest, FakeResponse } from "./fake-lark-types.js";

export const RESOURCE_SCOPE = "im:resource";
/** Lark serves resources up to 100 MB (Lark's message-resource API docs). */
const MAX_RESOURCE_BYTES = 100 * 1024 * 1024;

/** A file a test attached to a pushed message, served by the resources route. */
export interface FakeResource {
  data: Buffer;
  contentType: string;
}

export function resourceKey(messageId: string, fileKey: string): string {
  return `${messageId}\n${fileKey}`;
}

/** `GET /im/v1/messages/:message_id/resources/:file_key?type=image|file`: the raw bytes. */
export function resourceRoutes(state: FakeLarkState): Route[] {
  return [
    createRoute(
      "GET",
      "/open-apis/im/v1/messages/:message_id/resources/:file_key",
      (req) => download(state, req),
      RESOURCE_SCOPE,
    ),
  ];
}

function download(state: FakeLarkState, req: FakeRequest): FakeResponse {
  requireApp(state, req.appId);
  const type = req.query.get("type");
  if (type !== "image" && type !== "file") {
    throw new LarkFault(234001, "Invalid request param: type must be image or file");
  }
  const resource = state.resources.get(
    resourceKey(req.params.message_id ?? "", req.params.file_key ?? ""),
  );
  if (!resource) throw new LarkFault(234003, "File not in msg.");
  // Pictures are `image`; files, audio and video `file` (the resources API docs). That Lark
  // refuses the other with 234001 "invalid param" is assumed: its docs do not say.
  const wanted = resource.contentType.startsWith("image/") ? "image" : "file";
  if (type !== wanted) {
    throw new LarkFault(234001, `Invalid request param: this resource is type=${wanted}`);
  }
  if (resource.data.length > MAX_RESOURCE_BYTES) {
    throw new LarkFault(234037, "Downloaded file size exceeds limit.");
  }
  return { status: 200, headers: { "content-type": resource.contentType }, body: resource.data };
}
