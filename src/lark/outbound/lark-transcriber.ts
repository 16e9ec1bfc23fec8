import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import { AudioFormatError } from "../../audio/audio-format-error.js";
import { oggOpusToPcm, pcmBytes } from "../../audio/ogg-opus-to-pcm.js";
import {
  MAX_VOICE_MS,
  type Transcriber,
  type VoiceClip,
  VoiceFailure,
} from "../../conversation/voice-ports.js";
import type { LarkApi } from "./lark-api.js";
import { LarkApiError } from "./lark-api-error.js";

/** Lark's scope for speech recognition (the file_recognize API's docs). */
export const SPEECH_SCOPE = "speech_to_text:speech";
/** Lark recognises at most 60 s per request (file_recognize: "适合 60 秒以内音频识别"). */
const CLIP_SAMPLES = 60 * 16_000;

/**
 * Voice to text with Lark's own speech recognition, for bots whose app has no transcription
 * endpoint (FastGPT, Dify) or that prefer Lark's (Chinese and English, `16k_auto`). Lark takes
 * only raw PCM, so the Ogg Opus voice message is decoded here first (`audio/`), then sent in
 * clips of at most 60 s, one after another, and their texts joined.
 */
export function createLarkTranscriber(
  api: Pick<LarkApi, "recognizeSpeech">,
  logger: Logger,
): Transcriber {
  return {
    engine: "lark",
    async transcribe(clip: VoiceClip, signal: AbortSignal): Promise<string> {
      const started = performance.now();
      const pcm = await decode(clip);
      const decodedMs = Math.round(performance.now() - started);
      const texts: string[] = [];
      for (let at = 0; at < pcm.samples.length; at += CLIP_SAMPLES) {
        signal.throwIfAborted();
        const part = pcmBytes(pcm.samples.subarray(at, at + CLIP_SAMPLES));
        texts.push((await recognize(api, part)).trim());
      }
      logger.info(
        { durationMs: pcm.durationMs, clips: texts.length, decodedMs },
        "voice recognised by Lark",
      );
      return joinTexts(texts);
    },
  };
}

async function decode(clip: VoiceClip) {
  try {
    return await oggOpusToPcm(clip.data, { maxDurationMs: MAX_VOICE_MS });
  } catch (error) {
    if (!(error instanceof AudioFormatError)) throw error;
    if (error.problem === "too_long") {
      throw new VoiceFailure("too_long", error.message, {
        seconds: Math.round((error.durationMs ?? 0) / 1000),
        limit: MAX_VOICE_MS / 60_000,
      });
    }
    throw new VoiceFailure("unreadable", `the voice message's audio: ${error.message}`);
  }
}

async function recognize(api: Pick<LarkApi, "recognizeSpeech">, pcm: Buffer): Promise<string> {
  try {
    return await api.recognizeSpeech(pcm, fileId());
  } catch (error) {
    if (!(error instanceof LarkApiError)) throw error;
    if (error.kind === "missing_scope") {
      throw new VoiceFailure("missing_scope", error.message, { scope: SPEECH_SCOPE });
    }
    throw new VoiceFailure("refused", error.message, {
      detail: error.code !== undefined ? `Lark ${error.code}` : error.message,
    });
  }
}

/** Lark wants a 16-character id of letters, digits and "_" per file; one per clip. */
function fileId(): string {
  return randomBytes(8).toString("hex");
}

/** Clips of Chinese join without a space; of English (or a mix at the seam), with one. */
function joinTexts(texts: string[]): string {
  const cjk = /[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]/u;
  return texts
    .filter((text) => text !== "")
    .reduce((joined, text) => {
      if (!joined) return text;
      const seamIsCjk = cjk.test(joined.at(-1)!) && cjk.test(text[0]!);
      return seamIsCjk ? joined + text : `${joined} ${text}`;
    }, "");
}
