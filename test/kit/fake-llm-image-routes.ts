import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { sendJson } from "./http-json.js";
import { randomHex } from "./ids.js";
import { TINY_PNG } from "./pictures.js";
import { createScriptedAnswers, type ScriptedStart, startScripted } from "./scripted-answers.js";

/** How the fake answers one images call. */
export interface ImageScript extends ScriptedStart {
  /** The picture's bytes; default: a PNG distinct for every call. */
  data?: Buffer;
  /**
   * Force the answer's form, as some OpenAI-compatible providers do whatever was asked;
   * default: `response_format` when given, else `url` for dall-e models and `b64_json` for
   * the others (gpt-image-1 always answers base64).
   */
  as?: "b64_json" | "url";
  /** dall-e-3 returns the prompt it actually used. */
  revisedPrompt?: string;
}

/** One images call as the fake received it. */
export interface ImageRequest {
  operation: "generations" | "edits" | "variations";
  /** The request path (OpenAI's `/v1/images/…`, or Azure's deployment path). */
  path: string;
  query: Record<string, string>;
  apiKey: string;
  headers: IncomingHttpHeaders;
  /** The JSON body's fields, or the multipart form's text fields. */
  fields: Record<string, unknown>;
  /** The multipart `image` file (edits, variations). */
  image?: Buffer;
  /** What the fake answered with. */
  answered?: Buffer;
}

/** Sizes each OpenAI image model takes (OpenAI's image API reference). */
const SIZES: Record<string, readonly string[]> = {
  "dall-e-2": ["256x256", "512x512", "1024x1024"],
  "dall-e-3": ["1024x1024", "1792x1024", "1024x1792"],
  "gpt-image-1": ["1024x1024", "1536x1024", "1024x1536", "auto"],
};

/**
 * OpenAI's images endpoints on the fake LLM server: `generations` (JSON), `edits` and
 * `variations` (multipart), answered with `b64_json` or with a `url` the same server serves
 * under `/files/`, and refused the way OpenAI refuses a size or operation a model lacks.
 */
export function createFakeImages(baseUrl: () => string) {
  const answers = createScriptedAnswers<ImageScript, ImageRequest>("images", {});
  const files = new Map<string, Buffer>();
  let count = 0;

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    raw: Buffer,
    route: { apiKey: string; path: string; query: Record<string, string> },
  ): Promise<void> {
    const operation = /\/images\/(generations|edits|variations)$/.exec(route.path)?.[1] as
      | ImageRequest["operation"]
      | undefined;
    if (!operation) return void sendJson(res, 404, error("Unknown images route"));
    const parsed = await readFields(req, raw);
    if (!parsed)
      return void sendJson(res, 400, error("We could not parse the body of your request."));
    const record: ImageRequest = {
      operation,
      path: route.path,
      query: route.query,
      apiKey: route.apiKey,
      headers: req.headers,
      ...parsed,
    };
    answers.requests.push(record);
    const refusal = refuse(operation, record);
    if (refusal) return void sendJson(res, 400, error(refusal));
    const script = answers.next();
    if (!(await startScripted(res, script, (status) => error(`scripted ${status}`)))) return;
    count += 1;
    // Bytes after IEND are ignored by image readers: a valid PNG that differs per call.
    const data = script.data ?? Buffer.concat([TINY_PNG, Buffer.from(`#${count}`)]);
    record.answered = data;
    const model = String(record.fields.model ?? "dall-e-2");
    const format =
      script.as ??
      (record.fields.response_format as "b64_json" | "url" | undefined) ??
      (model.startsWith("dall-e") ? "url" : "b64_json");
    let item: Record<string, unknown>;
    if (format === "url") {
      const name = `${randomHex(8)}.png`;
      files.set(name, data);
      item = { url: `${baseUrl()}/files/${name}` };
    } else {
      item = { b64_json: data.toString("base64") };
    }
    if (script.revisedPrompt) item.revised_prompt = script.revisedPrompt;
    sendJson(res, 200, { created: Math.floor(Date.now() / 1000), data: [item] });
  }

  /** `GET /files/:name`: a picture answered by URL (no key needed, like a CDN link). */
  function serveFile(path: string, res: ServerResponse): boolean {
    const name = /^\/files\/([0-9a-f]+\.png)$/.exec(path)?.[1];
    if (!name) return false;
    const data = files.get(name);
    if (!data) sendJson(res, 404, error("not found"));
    else {
      res.writeHead(200, { "content-type": "image/png", "content-length": data.length });
      res.end(data);
    }
    return true;
  }

  return {
    handle,
    serveFile,
    controls: answers.controls,
    reset: () => {
      answers.reset();
      files.clear();
    },
  };
}

export type FakeImages = ReturnType<typeof createFakeImages>["controls"];

/** What OpenAI refuses before generating anything: a size or an operation the model lacks. */
function refuse(operation: ImageRequest["operation"], request: ImageRequest): string | undefined {
  const model = String(request.fields.model ?? "dall-e-2");
  if (operation === "variations" && model !== "dall-e-2") {
    return `Invalid value: '${model}'. Variations are only supported for dall-e-2.`;
  }
  if (operation === "edits" && model === "dall-e-3") {
    return "Invalid value: 'dall-e-3'. Edits are supported for dall-e-2 and gpt-image-1.";
  }
  if (operation !== "generations" && !request.image) return "Missing required parameter: 'image'.";
  if (operation !== "variations" && typeof request.fields.prompt !== "string") {
    return "Missing required parameter: 'prompt'.";
  }
  if (model.startsWith("gpt-image") && request.fields.response_format !== undefined) {
    return "Unknown parameter: 'response_format'.";
  }
  const sizes = SIZES[model];
  const size = request.fields.size;
  if (sizes && size !== undefined && !sizes.includes(String(size))) {
    return `Invalid value: '${String(size)}'. Supported values are: ${sizes.map((s) => `'${s}'`).join(", ")}.`;
  }
  return undefined;
}

async function readFields(
  req: IncomingMessage,
  raw: Buffer,
): Promise<Pick<ImageRequest, "fields" | "image"> | undefined> {
  const type = String(req.headers["content-type"] ?? "");
  if (type.startsWith("multipart/form-data")) {
    const form = await new Response(raw, { headers: { "content-type": type } })
      .formData()
      .catch(() => undefined);
    if (!form) return undefined;
    const fields: Record<string, unknown> = {};
    let image: Buffer | undefined;
    for (const [name, value] of form) {
      if (typeof value === "string") fields[name] = value;
      else if (name === "image" || name === "image[]")
        image = Buffer.from(await value.arrayBuffer());
    }
    return image ? { fields, image } : { fields };
  }
  try {
    const body = JSON.parse(raw.toString("utf8")) as unknown;
    return typeof body === "object" && body !== null
      ? { fields: body as Record<string, unknown> }
      : undefined;
  } catch {
    return undefined;
  }
}

function error(message: string) {
  return { error: { message, type: "invalid_request_error", param: null, code: null } };
}
