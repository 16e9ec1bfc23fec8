import { toFile } from "openai";
import { createKeyPool } from "./key-pool.js";
import { type ChatEndpoint, clientsPerKey } from "./openai-client.js";
import { withApiKey } from "./with-api-key.js";

export interface OpenAiTranscriberOptions {
  /** The app's endpoint (the chat's base URL and keys; on Azure, the resource). */
  endpoint: ChatEndpoint;
  apiKeys: string[];
  /** `OPENAI_TRANSCRIBE_MODEL`; on Azure, the whisper deployment's name. */
  model: string;
}

/** Audio as the channel served it. */
export interface AudioFile {
  data: Buffer;
  mimeType: string;
}

/**
 * Speech to text through an OpenAI-compatible `POST …/audio/transcriptions` (multipart: the
 * file as Lark served it, and the model), with the app's keys taking turns as chat calls do;
 * on Azure the deployment goes in the path, as the `openai` package does for it.
 */
export function createOpenAiTranscriber(options: OpenAiTranscriberOptions) {
  const { endpoint, model } = options;
  const pool = createKeyPool(options.apiKeys);
  const client = clientsPerKey(endpoint, (index) => pool.key(index));
  return {
    engine: "openai" as const,
    model,
    async transcribe(audio: AudioFile, signal: AbortSignal): Promise<string> {
      const answer = await withApiKey(pool, options.apiKeys, signal, async (index) =>
        client(index).audio.transcriptions.create(
          {
            file: await toFile(audio.data, fileName(audio), { type: audio.mimeType }),
            model,
            response_format: "json",
          },
          { signal },
        ),
      );
      return (answer.text ?? "").trim();
    },
  };
}

/**
 * OpenAI tells formats by the file name's extension (flac, m4a, mp3, mp4, mpeg, mpga, oga,
 * ogg, wav, webm): the name follows the bytes, since a download's type may be generic.
 */
function fileName(audio: AudioFile): string {
  const head = audio.data.subarray(0, 12).toString("latin1");
  if (head.startsWith("OggS")) return "voice.ogg";
  if (head.startsWith("RIFF") && head.slice(8, 12) === "WAVE") return "voice.wav";
  if (head.startsWith("ID3") || audio.mimeType === "audio/mpeg") return "voice.mp3";
  if (head.slice(4, 8) === "ftyp") return "voice.m4a";
  return "voice.ogg";
}
