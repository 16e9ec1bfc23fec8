/**
 * Ogg's page checksum (RFC 3533 §6): CRC-32 with the generator polynomial 0x04c11db7, not
 * reflected, initial value 0 and no final XOR, so not the zlib CRC that node:zlib offers.
 */
const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 24;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
    }
    table[byte] = crc >>> 0;
  }
  return table;
})();

/** The checksum of `bytes`, as an unsigned 32-bit number; `crc` carries on from earlier bytes. */
export function oggCrc(bytes: Uint8Array, crc = 0): number {
  let value = crc;
  for (const byte of bytes) value = ((value << 8) ^ TABLE[((value >>> 24) ^ byte) & 0xff]!) >>> 0;
  return value;
}
