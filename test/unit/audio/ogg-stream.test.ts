import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AudioFormatError } from "../../../src/audio/audio-format-error.js";
import { readOggStream } from "../../../src/audio/ogg-stream.js";
import { oggPage, writeOgg } from "../../kit/ogg-writer.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/voice/${name}`, import.meta.url));

function problemOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof AudioFormatError) return error.problem;
    throw error;
  }
}

describe("readOggStream", () => {
  it("reads a file opusenc wrote: its headers, every audio packet, the end's granule", () => {
    // opusinfo: 5 pages, pre-skip 312, 2.155 s; each 20 ms packet is 960 samples at 48 kHz.
    const stream = readOggStream(fixture("question.ogg"));
    expect(stream.pages).toBe(5);
    expect(Buffer.from(stream.packets[0]!.subarray(0, 8)).toString()).toBe("OpusHead");
    expect(Buffer.from(stream.packets[1]!.subarray(0, 8)).toString()).toBe("OpusTags");
    expect(stream.packets).toHaveLength(2 + 109);
    expect(stream.lastGranule).toBe(103_764n);
    expect(Number(stream.lastGranule - 312n) / 48_000).toBeCloseTo(2.155, 3);
  });

  it("leaves the bytes it reads as they were (a checksum check once zeroed them in place)", () => {
    const file = fixture("question.ogg");
    const copy = Buffer.from(file);
    readOggStream(file.subarray(0, 100_000));
    expect(file.equals(copy)).toBe(true);
    expect(readOggStream(file).pages).toBe(5);
  });

  it("joins packets that span pages, including the lengths lacing treats specially", () => {
    // 255 needs a closing 0; 510 two 255s and a 0; 0 is an empty packet.
    const sizes = [0, 1, 254, 255, 256, 510, 600, 1000, 3];
    const packets = sizes.map((size, i) => ({
      data: Uint8Array.from({ length: size }, (_, j) => (i * 31 + j) & 0xff),
      granule: BigInt(i * 960),
    }));
    const file = writeOgg(packets, { segmentsPerPage: 2 });
    const stream = readOggStream(file);
    expect(stream.pages).toBeGreaterThan(8);
    expect(stream.packets.map((p) => Buffer.from(p))).toEqual(
      packets.map((p) => Buffer.from(p.data)),
    );
    expect(stream.lastGranule).toBe(BigInt((sizes.length - 1) * 960));
  });

  it("refuses a page whose checksum does not match, naming the page", () => {
    const file = Buffer.from(fixture("question.ogg"));
    file[file.length - 10]! ^= 0x40; // a byte of the last page's audio
    expect(() => readOggStream(file)).toThrow(/Ogg page 5 fails its checksum/);
  });

  it("says a file cut short is truncated wherever it is cut, or reads the whole pages before it", () => {
    const file = fixture("question.ogg");
    const pageStarts = new Set<number>();
    for (let at = file.indexOf("OggS"); at >= 0; at = file.indexOf("OggS", at + 1)) {
      pageStarts.add(at);
    }
    for (let length = 1; length < file.length; length += 7) {
      const problem = problemOf(() => readOggStream(file.subarray(0, length)));
      if (pageStarts.has(length)) expect(problem).toBeUndefined();
      else expect([length, problem]).toEqual([length, length < 4 ? "not_ogg" : "truncated"]);
    }
  });

  it("says a missing page is missing, and a packet left unfinished is truncated", () => {
    const pieces = [1, 2, 3].map((n) =>
      oggPage({
        flags: n === 1 ? 0x02 : 0,
        granule: BigInt(n),
        serial: 7,
        sequence: n - 1,
        segments: [3],
        body: Buffer.from([n, n, n]),
      }),
    );
    expect(() => readOggStream(Buffer.concat([pieces[0]!, pieces[2]!]))).toThrow(
      /page 1 is missing \(page 2 came instead\)/,
    );
    const open = oggPage({
      flags: 0x02,
      granule: -1n,
      serial: 7,
      sequence: 0,
      segments: [255],
      body: Buffer.alloc(255),
    });
    expect(problemOf(() => readOggStream(open))).toBe("truncated");
  });

  it("tells a file that is not Ogg from a damaged one", () => {
    expect(problemOf(() => readOggStream(Buffer.from("RIFF\0\0\0\0WAVEfmt ")))).toBe("not_ogg");
    expect(problemOf(() => readOggStream(new Uint8Array()))).toBe("not_ogg");
    const file = Buffer.concat([fixture("question.ogg").subarray(0, 200), Buffer.from("junk")]);
    expect(problemOf(() => readOggStream(file))).toMatch(/truncated|corrupt/);
  });

  it("skips a stream multiplexed with the first and stops at the first stream's last page", () => {
    const page = (serial: number, sequence: number, flags: number, byte: number) =>
      oggPage({
        flags,
        granule: BigInt(sequence),
        serial,
        sequence,
        segments: [1],
        body: Buffer.from([byte]),
      });
    const file = Buffer.concat([
      page(1, 0, 0x02, 10),
      page(2, 0, 0x02, 99), // another track
      page(1, 1, 0x04, 11), // end of the first stream
      page(3, 0, 0x02, 98), // a chained stream after it
    ]);
    const stream = readOggStream(file);
    expect(stream.packets.map((p) => p[0])).toEqual([10, 11]);
    expect(stream.serial).toBe(1);
  });
});
