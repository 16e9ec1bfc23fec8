import { AudioFormatError } from "./audio-format-error.js";

/** The identification header of an Ogg Opus stream (RFC 7845 §5.1). */
export interface OpusHead {
  channels: number;
  /** 48 kHz samples the decoder must drop at the start. */
  preSkip: number;
  /** The sample rate of the encoder's input, for information only (Opus always runs at 48 kHz). */
  inputSampleRate: number;
  /** Output gain in dB (stored as Q7.8). */
  gainDb: number;
  mappingFamily: number;
  /** Family 0 has one stream (coupled when stereo); the others list theirs. */
  streamCount: number;
  coupledStreamCount: number;
  channelMapping: number[];
}

const latin1 = (bytes: Uint8Array) => String.fromCharCode(...bytes);

/**
 * Reads the first packet of an Ogg Opus stream.
 * @throws AudioFormatError ("not_opus") when it is not an OpusHead this reader can use.
 */
export function readOpusHead(packet: Uint8Array | undefined): OpusHead {
  if (!packet || packet.length < 19 || latin1(packet.subarray(0, 8)) !== "OpusHead") {
    throw new AudioFormatError("not_opus", "the Ogg stream is not Opus (no OpusHead)");
  }
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  // The major version is the upper four bits; only major version 0 is defined (§5.1).
  if (packet[8]! >> 4 !== 0) {
    throw new AudioFormatError("not_opus", `Opus header version ${packet[8]} is not supported`);
  }
  const channels = packet[9]!;
  const mappingFamily = packet[18]!;
  if (channels === 0) throw new AudioFormatError("not_opus", "the Opus header names 0 channels");
  const head = {
    channels,
    preSkip: view.getUint16(10, true),
    inputSampleRate: view.getUint32(12, true),
    gainDb: view.getInt16(16, true) / 256,
    mappingFamily,
  };
  if (mappingFamily === 0) {
    if (channels > 2) {
      throw new AudioFormatError(
        "not_opus",
        `mapping family 0 allows 1 or 2 channels, not ${channels}`,
      );
    }
    return {
      ...head,
      streamCount: 1,
      coupledStreamCount: channels - 1,
      channelMapping: channels === 2 ? [0, 1] : [0],
    };
  }
  if (packet.length < 21 + channels) {
    throw new AudioFormatError("not_opus", "the Opus header's channel mapping table is cut short");
  }
  const streamCount = packet[19]!;
  const coupledStreamCount = packet[20]!;
  const channelMapping = [...packet.subarray(21, 21 + channels)];
  if (streamCount === 0 || coupledStreamCount > streamCount) {
    throw new AudioFormatError("not_opus", "the Opus header's stream counts do not add up");
  }
  // 255 marks a silent channel; any other entry must name a decoded channel (§5.1.1).
  const decoded = streamCount + coupledStreamCount;
  if (channelMapping.some((entry) => entry !== 255 && entry >= decoded)) {
    throw new AudioFormatError("not_opus", "the Opus header maps a channel to no stream");
  }
  return { ...head, streamCount, coupledStreamCount, channelMapping };
}

/** The second packet of an Ogg Opus stream is its comment header (RFC 7845 §5.2). */
export function isOpusTags(packet: Uint8Array | undefined): boolean {
  return packet !== undefined && packet.length >= 8 && latin1(packet.subarray(0, 8)) === "OpusTags";
}
