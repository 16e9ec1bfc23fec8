import { OpusDecoder } from "opus-decoder";
import { AudioFormatError } from "./audio-format-error.js";
import { readOggStream } from "./ogg-stream.js";
import { isOpusTags, readOpusHead } from "./opus-head.js";

/** 16-bit signed little-endian mono samples at `sampleRate`. */
export interface Pcm16 {
  samples: Int16Array;
  sampleRate: 16_000;
  durationMs: number;
}

/** Opus timestamps are always in 48 kHz samples, whatever the input rate was (RFC 7845 §4). */
const OPUS_RATE = 48_000;
const RATE = 16_000;
/** opus-decoder copies each packet into a buffer of this many bytes per channel (0.7.x). */
const MAX_PACKET_BYTES_PER_CHANNEL = 3840;
/** Packets handed to the decoder per call: fewer crossings into WASM, bounded memory. */
const BATCH = 250;

/**
 * An Ogg Opus file (what Lark serves for a voice message) as 16 kHz 16-bit mono PCM, which
 * Lark's speech recognition takes. libopus decodes at 16 kHz itself (one of the rates Opus
 * decodes to natively, RFC 6716 §2), so no resampling is done here; channels are averaged,
 * the header's pre-skip and output gain applied, and the end trimmed to the last granule
 * position as RFC 7845 §4 asks. The decoder is libopus in WASM (`opus-decoder`): no system
 * binary. A file longer than `maxDurationMs` is refused before anything is decoded.
 *
 * @throws AudioFormatError when the file is not Ogg Opus, is damaged, or is too long.
 */
export async function oggOpusToPcm(
  data: Uint8Array,
  options: { maxDurationMs: number },
): Promise<Pcm16> {
  const stream = readOggStream(data);
  const head = readOpusHead(stream.packets[0]);
  if (!isOpusTags(stream.packets[1])) {
    throw new AudioFormatError("not_opus", "the Ogg Opus stream has no OpusTags header");
  }
  const audio = stream.packets.slice(2);
  if (stream.lastGranule < BigInt(head.preSkip) || audio.length === 0) {
    throw new AudioFormatError("truncated", "the Ogg Opus file holds no audio");
  }
  const playable = Number(stream.lastGranule - BigInt(head.preSkip));
  const durationMs = Math.round((playable / OPUS_RATE) * 1000);
  if (durationMs > options.maxDurationMs) {
    const seconds = Math.round(durationMs / 1000);
    throw new AudioFormatError("too_long", `the audio is ${seconds} s long`, durationMs);
  }
  const maxPacket = MAX_PACKET_BYTES_PER_CHANNEL * head.channels;
  if (audio.some((packet) => packet.length > maxPacket)) {
    throw new AudioFormatError("corrupt", "an Opus packet is larger than Opus allows");
  }

  const decoder = new OpusDecoder({
    sampleRate: RATE,
    channels: head.channels,
    streamCount: head.streamCount,
    coupledStreamCount: head.coupledStreamCount,
    channelMappingTable: head.channelMapping,
    // opus-decoder counts the pre-skip in output samples, the header in 48 kHz ones.
    preSkip: Math.round((head.preSkip * RATE) / OPUS_RATE),
  });
  await decoder.ready;
  const wanted = Math.round((playable * RATE) / OPUS_RATE);
  const samples = new Int16Array(wanted);
  const gain = 10 ** (head.gainDb / 20);
  let written = 0;
  let failed = 0;
  try {
    for (let at = 0; at < audio.length && written < wanted; at += BATCH) {
      const decoded = quietly(() => decoder.decodeFrames(audio.slice(at, at + BATCH)));
      failed += decoded.errors.length;
      written = mixInto(samples, written, decoded.channelData, decoded.samplesDecoded, gain);
    }
  } catch (error) {
    // libopus reports a bad packet as an error entry; a throw is the wrapper refusing input.
    throw new AudioFormatError("corrupt", `the Opus decoder refused the audio: ${String(error)}`);
  } finally {
    decoder.free();
  }
  if (failed === audio.length) {
    throw new AudioFormatError("corrupt", "no Opus packet of the file could be decoded");
  }
  return { samples: samples.subarray(0, written), sampleRate: RATE, durationMs };
}

/**
 * opus-decoder prints every packet libopus refuses with console.error, past the gateway's
 * logger; the result counts them, so they are silenced for the call. It is synchronous, so
 * nothing else can run (and lose its own console.error) meanwhile.
 */
function quietly<T>(call: () => T): T {
  const print = console.error;
  console.error = () => {};
  try {
    return call();
  } finally {
    console.error = print;
  }
}

/** Averages the channels into `out` from `at`, as 16-bit samples; returns the new end. */
function mixInto(
  out: Int16Array,
  at: number,
  channels: Float32Array[],
  count: number,
  gain: number,
): number {
  const n = Math.min(count, out.length - at);
  const scale = (gain * 32767) / channels.length;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (const channel of channels) sum += channel[i]!;
    const value = Math.round(sum * scale);
    // Int16Array wraps what does not fit; a loud peak must clip instead.
    out[at + i] = Math.min(32767, Math.max(-32768, value));
  }
  return at + n;
}

/** PCM as the bytes a speech API takes: 16-bit little-endian. */
export function pcmBytes(samples: Int16Array): Buffer {
  const bytes = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) bytes.writeInt16LE(samples[i]!, i * 2);
  return bytes;
}
