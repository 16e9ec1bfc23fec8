import { oggCrc } from "../../src/audio/ogg-crc.js";
import { readOggStream } from "../../src/audio/ogg-stream.js";

/** One packet to write, and the granule position at its end (-1n: none, as in headers). */
export interface PacketToWrite {
  data: Uint8Array;
  granule: bigint;
}

export interface OggWriteOptions {
  serial?: number;
  /** Lacing values per page (Ogg allows 255); smaller makes packets span pages. */
  segmentsPerPage?: number;
  /** Packets that must end their page (Ogg Opus puts each header on its own page). */
  pageBreakAfter?: number[];
}

/**
 * An Ogg stream (RFC 3533) written the way encoders write it, for tests of the reader: lacing,
 * packets continued across pages, granule positions, sequence numbers and checksums. Tests
 * only; larkgate reads Ogg, it never writes it.
 */
export function writeOgg(packets: readonly PacketToWrite[], options: OggWriteOptions = {}): Buffer {
  const serial = options.serial ?? 0x1a2b3c4d;
  const perPage = options.segmentsPerPage ?? 255;
  const breaks = new Set(options.pageBreakAfter ?? []);
  const pages: Buffer[] = [];
  let segments: number[] = [];
  let body: Uint8Array[] = [];
  let granule = -1n;
  let continued = false;
  let sequence = 0;

  const flush = (last: boolean, nextContinues: boolean) => {
    pages.push(
      oggPage({
        flags: (continued ? 0x01 : 0) | (sequence === 0 ? 0x02 : 0) | (last ? 0x04 : 0),
        granule,
        serial,
        sequence: sequence++,
        segments,
        body: Buffer.concat(body),
      }),
    );
    segments = [];
    body = [];
    granule = -1n;
    continued = nextContinues;
  };

  packets.forEach((packet, index) => {
    const lacing = lacingOf(packet.data.length);
    let offset = 0;
    for (const [i, value] of lacing.entries()) {
      // A full page: the next one continues the packet only if this one ended mid-packet.
      if (segments.length === perPage) flush(false, segments.at(-1) === 255);
      segments.push(value);
      body.push(packet.data.subarray(offset, offset + value));
      offset += value;
      if (i === lacing.length - 1) granule = packet.granule;
    }
    const last = index === packets.length - 1;
    if (last || breaks.has(index)) flush(last, false);
  });
  return Buffer.concat(pages);
}

/** One page with its checksum filled in. */
export function oggPage(page: {
  flags: number;
  granule: bigint;
  serial: number;
  sequence: number;
  segments: number[];
  body: Buffer;
}): Buffer {
  const header = Buffer.alloc(27 + page.segments.length);
  header.write("OggS", 0, "latin1");
  header[4] = 0;
  header[5] = page.flags;
  header.writeBigInt64LE(page.granule, 6);
  header.writeUInt32LE(page.serial, 14);
  header.writeUInt32LE(page.sequence, 18);
  header[26] = page.segments.length;
  Buffer.from(page.segments).copy(header, 27);
  const bytes = Buffer.concat([header, page.body]);
  bytes.writeUInt32LE(oggCrc(bytes), 22);
  return bytes;
}

/** A packet's lacing values: 255s, then the rest (a 0 when it is a multiple of 255). */
function lacingOf(length: number): number[] {
  const values = new Array<number>(Math.floor(length / 255)).fill(255);
  values.push(length % 255);
  return values;
}

/**
 * An Ogg Opus file whose audio is `file`'s played `times` over: the same headers, the audio
 * packets repeated with granule positions counted on (`samplesPerPacket`, 48 kHz), for
 * clips longer than any fixture without committing them.
 */
export function repeatOggOpus(file: Uint8Array, times: number, samplesPerPacket = 960): Buffer {
  const { packets } = readOggStream(file);
  const [head, tags, ...audio] = packets;
  const preSkip = BigInt(Buffer.from(head!).readUInt16LE(10));
  const out: PacketToWrite[] = [
    { data: head!, granule: 0n },
    { data: tags!, granule: 0n },
  ];
  let granule = preSkip;
  for (let round = 0; round < times; round++) {
    for (const data of audio) {
      granule += BigInt(samplesPerPacket);
      out.push({ data, granule });
    }
  }
  return writeOgg(out, { pageBreakAfter: [0, 1] });
}
