import { createHash } from "node:crypto";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { sendJson } from "./http-json.js";
import { createScriptedAnswers, type ScriptedStart, startScripted } from "./scripted-answers.js";

/** How the fake answers one transcription; without `text`, what `hear()` registered. */
export interface TranscriptionScript extends ScriptedStart {
  text?: string;
}

/** One `audio/transcriptions` call as the fake received it. */
export interface TranscriptionRequest {
  /** OpenAI's `/v1/audio/transcriptions`, or Azure's deployment path. */
  path: string;
  query: Record<string, string>;
  apiKey: string;
  headers: IncomingHttpHeaders;
  /** The multipart form's text fields (`model`, `response_format`, `language`…). */
  fields: Record<string, string>;
  /** The `file` part: its file name, type and bytes. */
  file: { name: string; type: string; data: Buffer };
}

/** The formats OpenAI's transcription API lists, which it tells by the file name's extension. */
const FORMATS = ["flac", "m4a", "mp3", "mp4", "mpeg", "mpga", "oga", "ogg", "wav", "webm"];
/** OpenAI's upload limit for this API (25 MB). */
const MAX_FILE_BYTES = 25 * 1024 * 1024;

const digest = (data: Buffer) => createHash("sha256").update(data).digest("hex");

/**
 * OpenAI's speech-to-text (`POST …/audio/transcriptions`, multipart) on the fake LLM server:
 * the form is parsed for real and refused the way OpenAI refuses it (no file, no model, a
 * format it cannot tell, bytes that are not what the name says). What it hears is what the
 * test registered for those exact bytes (`hear`), so a test proves the file arrived whole.
 */
export function createFakeTranscriptions() {
  const answers = createScriptedAnswers<TranscriptionScript, TranscriptionRequest>(
    "transcription",
    {},
  );
  const heard = new Map<string, string>();

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    raw: Buffer,
    route: { apiKey: string; path: string; query: Record<string, string>; azure: boolean },
  ): Promise<void> {
    const type = String(req.headers["content-type"] ?? "");
    if (!type.startsWith("multipart/form-data")) {
      return void sendJson(res, 400, error("The request body must be multipart/form-data."));
    }
    const form = await new Response(raw, { headers: { "content-type": type } })
      .formData()
      .catch(() => undefined);
    if (!form) return void sendJson(res, 400, error("We could not parse the multipart body."));
    const fields: Record<string, string> = {};
    let file: TranscriptionRequest["file"] | undefined;
    for (const [name, value] of form) {
      if (typeof value === "string") fields[name] = value;
      else if (name === "file") {
        const data = Buffer.from(await value.arrayBuffer());
        file = { name: value.name, type: value.type, data };
      }
    }
    if (!file) return void sendJson(res, 400, error("Missing required parameter: 'file'."));
    answers.requests.push({ ...route, headers: req.headers, fields, file });
    const refusal = refuse(fields, file, route.azure);
    if (refusal) return void sendJson(res, refusal.status, error(refusal.message));
    const script = answers.next();
    if (!(await startScripted(res, script, (status) => error(`scripted ${status}`)))) return;
    const text = script.text ?? heard.get(digest(file.data)) ?? "";
    if (fields.response_format === "text") {
      res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
      res.end(text);
      return;
    }
    sendJson(res, 200, { text });
  }

  return {
    handle,
    controls: {
      ...answers.controls,
      /** What the fake hears in exactly these bytes (default: nothing, an empty transcript). */
      hear(audio: Buffer, text: string): void {
        heard.set(digest(audio), text);
      },
    },
    reset: () => {
      answers.reset();
      heard.clear();
    },
  };
}

export type FakeTranscriptions = ReturnType<typeof createFakeTranscriptions>["controls"];

/** What OpenAI refuses before listening: the model, the file's format, its size. */
function refuse(
  fields: Record<string, string>,
  file: TranscriptionRequest["file"],
  azure: boolean,
): { status: number; message: string } | undefined {
  // On Azure the deployment in the path is the model; OpenAI needs the field.
  if (!azure && !fields.model)
    return { status: 400, message: "you must provide a model parameter" };
  if (!azure && !/whisper|transcribe/.test(fields.model ?? "")) {
    return { status: 400, message: `Invalid model ${fields.model}: it cannot transcribe audio.` };
  }
  const extension = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase();
  if (!extension || !FORMATS.includes(extension)) {
    return {
      status: 400,
      message: `Invalid file format. Supported formats: ${JSON.stringify(FORMATS)}`,
    };
  }
  if (file.data.length > MAX_FILE_BYTES) {
    return { status: 413, message: `Maximum content size limit (${MAX_FILE_BYTES}) exceeded.` };
  }
  const ogg = file.data.subarray(0, 4).toString("latin1") === "OggS";
  if ((extension === "ogg" || extension === "oga") !== ogg) {
    return { status: 400, message: "Audio file might be corrupted or unsupported" };
  }
  return undefined;
}

function error(message: string) {
  return { error: { message, type: "invalid_request_error", param: null, code: null } };
}
