import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import { BackendError } from "../backends/backend.js";
import type { TextKey, Translate } from "../i18n/translate.js";
import type { BotRuntime } from "./bot-runtime.js";
import { MAX_VOICE_MS, VoiceFailure } from "./voice-ports.js";

/**
 * The most bytes of audio downloaded. Lark's voice messages are Opus at a few kB a second (a
 * five-minute one is well under 2 MB); this only stops a file that is not one.
 */
export const MAX_VOICE_BYTES = 10 * 1024 * 1024;
/** Whisper takes tens of seconds for minutes of audio; past this the user is told it failed. */
const TRANSCRIBE_TIMEOUT_MS = 120_000;

/** A voice message heard: its words, or the notice that says why not. */
export type Heard = { text: string } | { notice: string };

/**
 * Downloads a voice message and has the bot's transcriber turn it into the question's text.
 * Whatever fails (voice off, download, length, the speech service, no words heard) becomes a
 * short notice in the bot's language; nothing is thrown.
 */
export async function hearVoice(
  bot: BotRuntime,
  voice: { messageId: string; key: string; durationMs: number },
  say: Translate,
  log: Logger,
): Promise<Heard> {
  const transcriber = bot.voice;
  if (!transcriber) return { notice: say("voice.off") };
  const failed = (reason: string, err: unknown, code: string) => {
    const ref = randomBytes(4).toString("hex");
    log.warn(
      { ref, code, engine: transcriber.engine, err: { message: messageOf(err) } },
      "voice message not transcribed",
    );
    return { notice: say("voice.failed", { reason, ref }) };
  };
  if (voice.durationMs > MAX_VOICE_MS) {
    const seconds = Math.round(voice.durationMs / 1000);
    return failed(
      say("voice.reason.too_long", { seconds, limit: MAX_VOICE_MS / 60_000 }),
      "longer than the limit",
      "too_long",
    );
  }
  let clip: { data: Buffer; mimeType: string };
  try {
    clip = await bot.downloadAudio(voice.messageId, voice.key, MAX_VOICE_BYTES);
  } catch (error) {
    return failed(say("voice.reason.download"), error, "download");
  }
  const started = performance.now();
  let text: string;
  try {
    text = await transcriber.transcribe(
      { ...clip, durationMs: voice.durationMs },
      AbortSignal.timeout(TRANSCRIBE_TIMEOUT_MS),
    );
  } catch (error) {
    if (error instanceof VoiceFailure) {
      return failed(say(`voice.reason.${error.reason}`, error.values), error, error.reason);
    }
    const code =
      error instanceof BackendError
        ? error.code
        : error instanceof Error && error.name === "TimeoutError"
          ? "timeout"
          : "internal";
    const detail = error instanceof BackendError && error.status ? `HTTP ${error.status}` : code;
    return failed(say(reasonKey(code), { detail }), error, code);
  }
  log.info(
    {
      engine: transcriber.engine,
      bytes: clip.data.length,
      ms: Math.round(performance.now() - started),
    },
    "voice message transcribed",
  );
  if (!text) return { notice: say("voice.empty") };
  return { text };
}

/** What an OpenAI-compatible endpoint's failure means to the person who spoke. */
function reasonKey(code: string): TextKey {
  switch (code) {
    case "auth":
    case "rate_limited":
    case "timeout":
      return `voice.reason.${code}`;
    case "aborted":
      return "voice.reason.timeout";
    // No transcription route at that endpoint (a chat-only provider), or no such model.
    case "not_found":
    case "bad_request":
      return "voice.reason.unavailable";
    default:
      return "voice.reason.other";
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
