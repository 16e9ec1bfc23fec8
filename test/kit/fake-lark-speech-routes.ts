import { createRoute, type Route } from "./fake-lark-router.js";
import { type FakeLarkState, LarkFault, larkOk, requireApp } from "./fake-lark-state.js";
import type { FakeRequest, FakeResponse } from "./fake-lark-types.js";

export const SPEECH_SCOPE = "speech_to_text:speech";
/** file_recognize takes up to 60 s of 16 kHz 16-bit mono PCM (Lark's file_recognize docs). */
const MAX_PCM_BYTES = 60 * 16_000 * 2;

/** One recognition call as the fake received it, its speech decoded. */
export interface SpeechRequest {
  appId: string;
  fileId: string;
  /** The PCM: 16-bit little-endian samples at 16 kHz. */
  pcm: Buffer;
  /** How long that PCM plays, in seconds. */
  seconds: number;
}

/** What the next recognition answers: the text heard, or Lark's error. */
export type SpeechScript = { text: string } | { code: number; msg: string };

/**
 * `POST /open-apis/speech_to_text/v1/speech/file_recognize`: checks the request as Lark's docs
 * state it (base64 `speech.speech`, a 16-character `config.file_id` of letters, digits and "_",
 * `format: pcm`, `engine_type: 16k_auto`, at most 60 s), and answers `recognition_text` from
 * the tests' script, else "" as Lark does for silence. Field errors answer 99992402, Lark's
 * generic validation code (the API's own codes for these are not documented).
 */
export function speechRoutes(state: FakeLarkState): Route[] {
  return [
    createRoute(
      "POST",
      "/open-apis/speech_to_text/v1/speech/file_recognize",
      (req) => recognize(state, req),
      SPEECH_SCOPE,
    ),
  ];
}

function recognize(state: FakeLarkState, req: FakeRequest): FakeResponse {
  const app = requireApp(state, req.appId);
  const body = (req.body ?? {}) as {
    speech?: { speech?: unknown };
    config?: { file_id?: unknown; format?: unknown; engine_type?: unknown };
  };
  const speech = body.speech?.speech;
  const config = body.config ?? {};
  if (typeof speech !== "string" || speech === "" || !/^[A-Za-z0-9+/]+={0,2}$/.test(speech)) {
    throw invalid("speech.speech must be the base64 of the audio");
  }
  if (typeof config.file_id !== "string" || !/^[A-Za-z0-9_]{16}$/.test(config.file_id)) {
    throw invalid("config.file_id must be 16 letters, digits or _");
  }
  if (config.format !== "pcm") throw invalid("config.format supports only pcm");
  if (config.engine_type !== "16k_auto") throw invalid("config.engine_type supports only 16k_auto");
  const pcm = Buffer.from(speech, "base64");
  if (pcm.length % 2 !== 0) throw invalid("speech is not 16-bit PCM (odd length)");
  if (pcm.length > MAX_PCM_BYTES) throw invalid("speech is longer than 60 s");
  state.speech.requests.push({
    appId: app.appId,
    fileId: config.file_id,
    pcm,
    seconds: pcm.length / 2 / 16_000,
  });
  const script = state.speech.scripts.shift();
  if (script && "code" in script) throw new LarkFault(script.code, script.msg);
  return larkOk({ recognition_text: script?.text ?? "" });
}

function invalid(msg: string): LarkFault {
  return new LarkFault(99992402, `field validation failed: ${msg}`);
}
