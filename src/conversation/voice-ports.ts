/**
 * What the conversation needs to answer a voice message: its audio, and something that turns
 * it into text. The app's OpenAI-compatible endpoint (`backends/openai-transcriber.ts`) and
 * Lark's own speech recognition (`lark/outbound/lark-transcriber.ts`) both fit.
 */

/** A voice message's audio as its channel served it. */
export interface VoiceClip {
  data: Buffer;
  /** The type the channel gave (Lark: Ogg Opus). */
  mimeType: string;
  /** The length the message reported, in milliseconds; 0 when unknown. */
  durationMs: number;
}

export interface Transcriber {
  /** Who does it, for the help card and the logs. */
  readonly engine: "openai" | "lark";
  /** The model that listens (`whisper-1`…); absent for Lark's recognition. */
  readonly model?: string;
  /**
   * The words spoken, trimmed; empty when none could be made out.
   * @throws VoiceFailure, or BackendError for an OpenAI-compatible endpoint's failures.
   */
  transcribe(clip: VoiceClip, signal: AbortSignal): Promise<string>;
}

/** Why a voice message could not be transcribed, as the user is told it. */
export type VoiceFailureReason =
  /** The channel refused the call for a permission the app lacks (`values.scope`). */
  | "missing_scope"
  /** The audio is damaged or of a kind we cannot read. */
  | "unreadable"
  /** Longer than larkgate takes (`values.seconds`, `values.limit`). */
  | "too_long"
  /** The speech service said no for another reason (`values.detail`). */
  | "refused";

export class VoiceFailure extends Error {
  override readonly name = "VoiceFailure";

  constructor(
    readonly reason: VoiceFailureReason,
    message: string,
    readonly values: Record<string, string | number> = {},
  ) {
    super(message);
  }
}

/**
 * The longest voice message transcribed, in milliseconds. Lark records voice messages of a
 * few minutes at most; a five-minute monologue is not a question, and each minute costs a
 * Lark recognition call (60 s each) or a minute of Whisper.
 */
export const MAX_VOICE_MS = 5 * 60_000;
