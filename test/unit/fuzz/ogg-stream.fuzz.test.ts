import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AudioFormatError } from "../../../src/audio/audio-format-error.js";
import { oggOpusToPcm } from "../../../src/audio/ogg-opus-to-pcm.js";
import { readOggStream } from "../../../src/audio/ogg-stream.js";
import { oggPage } from "../../kit/ogg-writer.js";

const voice = readFileSync(new URL("../../fixtures/voice/question.ogg", import.meta.url));

/** Bytes an Ogg reader meets: noise, noise behind "OggS", a real file damaged or cut. */
const files = fc.oneof(
  fc.uint8Array({ maxLength: 4096 }),
  fc.uint8Array({ maxLength: 4096 }).map((rest) => Buffer.concat([Buffer.from("OggS"), rest])),
  fc
    .array(fc.tuple(fc.nat({ max: voice.length - 1 }), fc.integer({ min: 0, max: 255 })), {
      minLength: 1,
      maxLength: 8,
    })
    .map((edits) => {
      const copy = Buffer.from(voice);
      for (const [at, value] of edits) copy[at] = value;
      return copy;
    }),
  fc.nat({ max: voice.length }).map((length) => voice.subarray(0, length)),
  // Pages whose checksums hold but whose fields are anything: the reader cannot lean on the CRC.
  fc
    .array(
      fc.record({
        flags: fc.integer({ min: 0, max: 7 }),
        granule: fc.bigInt({ min: -1n, max: 1n << 40n }),
        serial: fc.constantFrom(1, 2),
        sequence: fc.nat({ max: 4 }),
        segments: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 6 }),
      }),
      { maxLength: 6 },
    )
    .map((pages) =>
      Buffer.concat(
        pages.map((page) => {
          const size = page.segments.reduce((sum, n) => sum + n, 0);
          return oggPage({ ...page, body: Buffer.alloc(size, 7) });
        }),
      ),
    ),
);

function onlyAudioErrors(error: unknown): boolean {
  if (error instanceof AudioFormatError) return true;
  throw error;
}

describe("the Ogg reader, fuzzed", () => {
  it("reads or refuses with an AudioFormatError, within one pass, whatever the bytes", () => {
    fc.assert(
      fc.property(files, (file) => {
        const started = performance.now();
        try {
          const stream = readOggStream(file);
          const bytes = stream.packets.reduce((sum, p) => sum + p.length, 0);
          expect(bytes).toBeLessThanOrEqual(file.length);
        } catch (error) {
          onlyAudioErrors(error);
        }
        expect(performance.now() - started).toBeLessThan(500);
      }),
      { numRuns: 400 },
    );
  });

  it("decodes or refuses a damaged voice file with an AudioFormatError, never another error", async () => {
    await fc.assert(
      fc.asyncProperty(files, async (file) => {
        try {
          const pcm = await oggOpusToPcm(file, { maxDurationMs: 60_000 });
          // durationMs is rounded to the millisecond: 16 samples of slack.
          expect(pcm.samples.length).toBeLessThanOrEqual(pcm.durationMs * 16 + 16);
        } catch (error) {
          onlyAudioErrors(error);
        }
      }),
      { numRuns: 150 },
    );
  });
});
