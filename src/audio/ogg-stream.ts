import { AudioFormatError } from "./audio-format-error.js";
import { oggCrc } from "./ogg-crc.js";

/** The packets of one logical Ogg stream, in order, and where its last page ended. */
export interface OggStream {
  serial: number;
  packets: Uint8Array[];
  /**
   * The granule position of the last page that ends a packet: for Opus, the 48 kHz sample count
   * at the end of the stream, pre-skip included (RFC 7845 §4). -1n when no page gave one.
   */
  lastGranule: bigint;
  pages: number;
}

/** Page header flags (RFC 3533 §6, header_type_flag). */
const CONTINUED = 0x01;
const FIRST = 0x02;
const LAST = 0x04;
/** "OggS", the capture pattern every page starts with. */
const CAPTURE = [0x4f, 0x67, 0x67, 0x53];
const HEADER_BYTES = 27;
const ZEROS = new Uint8Array(4);

/**
 * Reads the first logical stream of an Ogg file (RFC 3533) into its packets: every page's
 * checksum and sequence number is checked, packets are joined across pages by their lacing
 * values, and other multiplexed streams are skipped. It stops at the stream's last page (a
 * chained stream after it is not read). Each step consumes a whole page, so garbage ends in an
 * error after at most one pass over the bytes.
 *
 * @example const { packets, lastGranule } = readOggStream(await readFile("voice.ogg"));
 * @throws AudioFormatError for anything that is not a well-formed Ogg stream.
 */
export function readOggStream(data: Uint8Array): OggStream {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (!startsPage(data, 0)) {
    throw new AudioFormatError("not_ogg", "not an Ogg file (no OggS page at the start)");
  }
  let serial: number | undefined;
  let expectedSequence = 0;
  const packets: Uint8Array[] = [];
  /** Pieces of a packet that continues on the next page. */
  let partial: Uint8Array[] = [];
  let lastGranule = -1n;
  let pages = 0;
  let offset = 0;
  let ended = false;

  while (offset < data.length && !ended) {
    if (!startsPage(data, offset)) {
      // The first bytes of "OggS" and then the end: a cut, not damage.
      if (data.length - offset < CAPTURE.length && startsPage(data, offset, true)) {
        throw truncated(offset);
      }
      throw new AudioFormatError("corrupt", `no Ogg page where one should start (byte ${offset})`);
    }
    if (offset + HEADER_BYTES > data.length) throw truncated(offset);
    if (data[offset + 4] !== 0) {
      throw new AudioFormatError("corrupt", `Ogg page of unknown version ${data[offset + 4]}`);
    }
    const flags = data[offset + 5]!;
    const granule = view.getBigInt64(offset + 6, true);
    const pageSerial = view.getUint32(offset + 14, true);
    const sequence = view.getUint32(offset + 18, true);
    const storedCrc = view.getUint32(offset + 22, true);
    const segmentCount = data[offset + 26]!;
    const bodyStart = offset + HEADER_BYTES + segmentCount;
    if (bodyStart > data.length) throw truncated(offset);
    const lacing = data.subarray(offset + HEADER_BYTES, bodyStart);
    let bodyLength = 0;
    for (const value of lacing) bodyLength += value;
    const pageEnd = bodyStart + bodyLength;
    if (pageEnd > data.length) throw truncated(offset);

    // The checksum covers the page with its own field as zeros; computed in place, since the
    // bytes are the caller's (and a Buffer's slice would share them).
    let crc = oggCrc(data.subarray(offset, offset + 22));
    crc = oggCrc(ZEROS, crc);
    crc = oggCrc(data.subarray(offset + 26, pageEnd), crc);
    if (crc !== storedCrc) {
      throw new AudioFormatError("corrupt", `Ogg page ${pages + 1} fails its checksum`);
    }
    pages += 1;
    offset = pageEnd;

    if (serial === undefined) {
      if (!(flags & FIRST)) {
        throw new AudioFormatError("corrupt", "the first Ogg page does not begin a stream");
      }
      serial = pageSerial;
    }
    // Another stream multiplexed with ours (a second track): not ours to read.
    if (pageSerial !== serial) continue;
    if (sequence !== expectedSequence) {
      throw new AudioFormatError(
        "corrupt",
        `Ogg page ${expectedSequence} is missing (page ${sequence} came instead)`,
      );
    }
    expectedSequence += 1;
    if (Boolean(flags & CONTINUED) !== partial.length > 0) {
      throw new AudioFormatError("corrupt", `Ogg page ${sequence} breaks a packet's continuation`);
    }

    let at = bodyStart;
    let packetStart = bodyStart;
    for (const value of lacing) {
      at += value;
      // A lacing value under 255 ends a packet; 255 means it goes on (RFC 3533 §5).
      if (value < 255) {
        partial.push(data.subarray(packetStart, at));
        packets.push(join(partial));
        partial = [];
        packetStart = at;
      }
    }
    // Bytes after the last packet end belong to a packet the next page continues.
    if (packetStart < at) partial.push(data.subarray(packetStart, at));
    // -1 marks a page on which no packet ends.
    if (granule !== -1n) lastGranule = granule;
    ended = Boolean(flags & LAST);
  }
  if (partial.length > 0) {
    throw new AudioFormatError("truncated", "the Ogg file ends in the middle of a packet");
  }
  return { serial: serial!, packets, lastGranule, pages };
}

/** The capture pattern is at `offset` (with `cut`: as far as the data goes). */
function startsPage(data: Uint8Array, offset: number, cut = false): boolean {
  return CAPTURE.every(
    (byte, i) => (cut && offset + i >= data.length) || data[offset + i] === byte,
  );
}

function truncated(offset: number): AudioFormatError {
  return new AudioFormatError("truncated", `the Ogg file ends inside the page at byte ${offset}`);
}

function join(pieces: Uint8Array[]): Uint8Array {
  if (pieces.length === 1) return pieces[0]!;
  const out = new Uint8Array(pieces.reduce((size, piece) => size + piece.length, 0));
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}
