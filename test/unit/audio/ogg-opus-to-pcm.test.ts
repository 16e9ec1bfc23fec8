import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AudioFormatError } from "../../../src/audio/audio-format-error.js";
import { oggOpusToPcm, pcmBytes } from "../../../src/audio/ogg-opus-to-pcm.js";
import { readOggStream } from "../../../src/audio/ogg-stream.js";
import { repeatOggOpus, writeOgg } from "../../kit/ogg-writer.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/voice/${name}`, import.meta.url));
const LONG = { maxDurationMs: 10 * 60_000 };
/** One 20 ms Opus frame at 16 kHz: how close "the same length" must be. */
const FRAME = 320;

/** The strength of one frequency in the samples (Goertzel), relative to the signal's energy. */
function strength(samples: Int16Array, hz: number, rate: number): number {
  const k = (2 * Math.cos((2 * Math.PI * hz) / rate)) as number;
  let [s1, s2, energy] = [0, 0, 0];
  for (const sample of samples) {
    const s = sample + k * s1 - s2;
    s2 = s1;
    s1 = s;
    energy += sample * sample;
  }
  const power = s1 * s1 + s2 * s2 - k * s1 * s2;
  return power / (energy * samples.length);
}

async function problemOf(data: Uint8Array, maxDurationMs = LONG.maxDurationMs) {
  try {
    await oggOpusToPcm(data, { maxDurationMs });
    return undefined;
  } catch (error) {
    if (error instanceof AudioFormatError) return error;
    throw error;
  }
}

describe("oggOpusToPcm", () => {
  it("decodes a voice clip to 16 kHz mono as long as its last granule says", async () => {
    const pcm = await oggOpusToPcm(fixture("question.ogg"), LONG);
    expect(pcm.sampleRate).toBe(16_000);
    expect(pcm.durationMs).toBe(2155);
    // (103764 − 312) / 3 samples: the 48 kHz granule at 16 kHz, pre-skip dropped.
    expect(Math.abs(pcm.samples.length - 34_484)).toBeLessThanOrEqual(FRAME);
    // Speech, not silence: espeak's voice is loud throughout.
    const rms = Math.sqrt(pcm.samples.reduce((sum, s) => sum + s * s, 0) / pcm.samples.length);
    expect(rms).toBeGreaterThan(500);
    expect(pcmBytes(pcm.samples)).toHaveLength(pcm.samples.length * 2);
  });

  it("keeps pitch (so the rate is really 16 kHz) and averages stereo into one channel", async () => {
    // 440 Hz on the left, 660 Hz on the right, 1 s at 48 kHz.
    const pcm = await oggOpusToPcm(fixture("stereo-tone.ogg"), LONG);
    expect(Math.abs(pcm.samples.length - 16_000)).toBeLessThanOrEqual(FRAME);
    const left = strength(pcm.samples, 440, 16_000);
    const right = strength(pcm.samples, 660, 16_000);
    const neither = strength(pcm.samples, 1000, 16_000);
    expect(left).toBeGreaterThan(100 * neither);
    expect(right).toBeGreaterThan(100 * neither);
    expect(left / right).toBeGreaterThan(0.5);
    expect(left / right).toBeLessThan(2);
  });

  it("decodes a minute and more in one go", async () => {
    const long = repeatOggOpus(fixture("question.ogg"), 30); // 30 × 109 packets of 20 ms
    const pcm = await oggOpusToPcm(long, LONG);
    expect(pcm.durationMs).toBe(65_400);
    expect(Math.abs(pcm.samples.length - 65.4 * 16_000)).toBeLessThanOrEqual(FRAME);
  });

  it("refuses a clip longer than allowed before decoding it, saying how long it is", async () => {
    const error = await problemOf(fixture("question.ogg"), 2000);
    expect(error?.problem).toBe("too_long");
    expect(error?.durationMs).toBe(2155);
  });

  it("refuses Ogg that is not Opus, and Opus without its comment header", async () => {
    const vorbis = writeOgg([{ data: Buffer.from("\x01vorbis\0\0\0\0\x01"), granule: 0n }]);
    expect((await problemOf(vorbis))?.problem).toBe("not_opus");
    const [head, , ...audio] = readOggStream(fixture("question.ogg")).packets;
    const untagged = writeOgg([head!, ...audio].map((data, i) => ({ data, granule: BigInt(i) })));
    expect((await problemOf(untagged))?.message).toMatch(/no OpusTags/);
  });

  it("says corrupt when no packet decodes, and never throws another error", async () => {
    const [head, tags] = readOggStream(fixture("question.ogg")).packets;
    const junk = Array.from({ length: 20 }, (_, i) => ({
      // TOC code 3 with a frame count of 0 is invalid in every configuration (RFC 6716 §3.2.5).
      data: Uint8Array.from([0x03, 0x00, i]),
      granule: BigInt(312 + (i + 1) * 960),
    }));
    const file = writeOgg([{ data: head!, granule: 0n }, { data: tags!, granule: 0n }, ...junk]);
    expect((await problemOf(file))?.problem).toBe("corrupt");
    const huge = writeOgg([
      { data: head!, granule: 0n },
      { data: tags!, granule: 0n },
      { data: new Uint8Array(5000), granule: 1272n },
    ]);
    expect((await problemOf(huge))?.message).toMatch(/larger than Opus allows/);
  });
});
