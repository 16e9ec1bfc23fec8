import { cardImageKeys } from "./fake-lark-card-json.js";
import { RESOURCE_SCOPE } from "./fake-lark-resource-routes.js";
import { createRoute, type Route } from "./fake-lark-router.js";
import { type FakeLarkState, LarkFault, requireApp } from "./fake-lark-state.js";
import type { FakeRequest, FakeResponse } from "./fake-lark-types.js";
import { randomHex } from "./ids.js";

/** An image an app uploaded (`POST /im/v1/images`), by its `image_key`. */
export interface FakeImage {
  imageKey: string;
  appId: string;
  imageType: string;
  data: Buffer;
  contentType: string;
}

/** Lark's limit for uploaded images (upload-image API docs). */
const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

/**
 * `POST /im/v1/images` (multipart: `image_type`, `image`) and `GET /im/v1/images/:image_key`,
 * which serves back only what this app uploaded as a message image.
 */
export function imageRoutes(state: FakeLarkState): Route[] {
  return [
    createRoute("POST", "/open-apis/im/v1/images", (req) => upload(state, req), RESOURCE_SCOPE),
    createRoute(
      "GET",
      "/open-apis/im/v1/images/:image_key",
      (req) => download(state, req),
      RESOURCE_SCOPE,
    ),
  ];
}

async function upload(state: FakeLarkState, req: FakeRequest): Promise<FakeResponse> {
  const app = requireApp(state, req.appId);
  const contentType = String(req.headers["content-type"] ?? "");
  if (!contentType.startsWith("multipart/form-data")) {
    throw new LarkFault(234001, "Invalid request param: the body must be multipart/form-data");
  }
  const form = await new Response(req.rawBody, { headers: { "content-type": contentType } })
    .formData()
    .catch(() => {
      throw new LarkFault(234001, "Invalid request param: the multipart body does not parse");
    });
  const imageType = form.get("image_type");
  if (imageType !== "message" && imageType !== "avatar") {
    throw new LarkFault(234001, "Invalid request param: image_type must be message or avatar");
  }
  const file = form.get("image");
  if (!file || typeof file === "string") {
    throw new LarkFault(234001, "Invalid request param: image is missing");
  }
  const data = Buffer.from(await file.arrayBuffer());
  if (data.length === 0) throw new LarkFault(234010, "File's size can't be 0.");
  if (data.length > MAX_IMAGE_BYTES)
    throw new LarkFault(234006, "The file size exceed the max value.");
  const format = imageFormat(data);
  if (!format) throw new LarkFault(234011, "Can't recognize image format.");
  const imageKey = `img_v3_${randomHex(12)}`;
  state.images.set(imageKey, {
    imageKey,
    appId: app.appId,
    imageType,
    data,
    contentType: format,
  });
  return { body: { code: 0, msg: "success", data: { image_key: imageKey } } };
}

function download(state: FakeLarkState, req: FakeRequest): FakeResponse {
  const app = requireApp(state, req.appId);
  const image = state.images.get(req.params.image_key ?? "");
  // Lark serves only the app's own message images here; others' keys look like unknown ones.
  if (!image || image.appId !== app.appId || image.imageType !== "message") {
    throw new LarkFault(234003, "File not found or not uploaded by this app.");
  }
  return { status: 200, headers: { "content-type": image.contentType }, body: image.data };
}

/** The image format by its first bytes, as Lark checks it (not by the file name). */
export function imageFormat(data: Buffer): string | undefined {
  if (data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return "image/png";
  }
  if (data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return "image/jpeg";
  if (data.subarray(0, 4).toString("latin1") === "GIF8") return "image/gif";
  if (
    data.subarray(0, 4).toString("latin1") === "RIFF" &&
    data.subarray(8, 12).toString("latin1") === "WEBP"
  ) {
    return "image/webp";
  }
  return undefined;
}

/**
 * An image message or a card may only show images this app uploaded: Lark refuses another
 * key (an image message with 230001; a card with 230099 and sub-code 200570).
 */
export function assertOwnImages(
  state: FakeLarkState,
  appId: string,
  msgType: unknown,
  content: Record<string, unknown>,
): void {
  const own = (key: unknown) => {
    const image = typeof key === "string" ? state.images.get(key) : undefined;
    return image?.appId === appId;
  };
  // A file message needs a key this app uploaded (`POST /im/v1/files`).
  if (msgType === "file" && state.uploadedFiles.get(String(content.file_key))?.appId !== appId) {
    throw new LarkFault(230001, "invalid content: file_key is not a file this app uploaded");
  }
  if (msgType === "image" && !own(content.image_key)) {
    throw new LarkFault(230001, "invalid content: image_key is not an image this app uploaded");
  }
  if (msgType === "interactive") {
    const unknown = cardImageKeys(content).find((key) => !own(key));
    if (unknown !== undefined) {
      throw new LarkFault(
        230099,
        `Failed to create card content, ext=ErrCode: 200570; ErrMsg: invalid image key; ErrorValue: ${unknown}; `,
      );
    }
  }
}
