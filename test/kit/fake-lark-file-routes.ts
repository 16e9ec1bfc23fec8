import { RESOURCE_SCOPE } from "./fake-lark-resource-routes.js";
import { createRoute, type Route } from "./fake-lark-router.js";
import { type FakeLarkState, LarkFault, requireApp } from "./fake-lark-state.js";
import type { FakeRequest, FakeResponse } from "./fake-lark-types.js";
import { randomHex } from "./ids.js";

/** A file an app uploaded (`POST /im/v1/files`), by its `file_key`. */
export interface FakeUploadedFile {
  fileKey: string;
  appId: string;
  fileType: string;
  fileName: string;
  data: Buffer;
}

/** Lark's limit for uploaded files, and the types it takes (upload-file API docs). */
const MAX_FILE_BYTES = 30 * 1024 * 1024;
const FILE_TYPES = new Set(["opus", "mp4", "pdf", "doc", "xls", "ppt", "stream"]);

/** `POST /im/v1/files` (multipart: `file_type`, `file_name`, optional `duration`, `file`). */
export function fileRoutes(state: FakeLarkState): Route[] {
  return [
    createRoute("POST", "/open-apis/im/v1/files", (req) => upload(state, req), RESOURCE_SCOPE),
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
  const fileType = form.get("file_type");
  if (typeof fileType !== "string" || !FILE_TYPES.has(fileType)) {
    throw new LarkFault(234001, "Invalid request param: file_type is not one Lark takes");
  }
  const fileName = form.get("file_name");
  if (typeof fileName !== "string" || fileName === "") {
    throw new LarkFault(234001, "Invalid request param: file_name is missing");
  }
  const file = form.get("file");
  if (!file || typeof file === "string") {
    throw new LarkFault(234001, "Invalid request param: file is missing");
  }
  const data = Buffer.from(await file.arrayBuffer());
  if (data.length === 0) throw new LarkFault(234010, "File's size can't be 0.");
  if (data.length > MAX_FILE_BYTES) {
    throw new LarkFault(234006, "The file size exceed the max value.");
  }
  const fileKey = `file_v3_${randomHex(12)}`;
  state.uploadedFiles.set(fileKey, { fileKey, appId: app.appId, fileType, fileName, data });
  return { body: { code: 0, msg: "success", data: { file_key: fileKey } } };
}
