/** What is wrong with an audio file, as a stable code (logs and the user's notice). */
export type AudioProblem =
  /** Not an Ogg file at all (an upload of another format, or an error page). */
  | "not_ogg"
  /** Ogg, but a page is damaged: its checksum or its framing does not hold. */
  | "corrupt"
  /** The file ends in the middle of a page or a packet. */
  | "truncated"
  /** Ogg, but not Opus (Vorbis, FLAC…), or an Opus header we cannot use. */
  | "not_opus"
  /** Longer than the reader was told to take; `durationMs` says how long. */
  | "too_long";

/** The one error the audio readers throw: a file they cannot read, and why. */
export class AudioFormatError extends Error {
  override readonly name = "AudioFormatError";

  constructor(
    readonly problem: AudioProblem,
    message: string,
    /** For `too_long`: the audio's length. */
    readonly durationMs?: number,
  ) {
    super(message);
  }
}
