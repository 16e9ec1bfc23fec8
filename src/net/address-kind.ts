import { BlockList, isIP } from "node:net";

/**
 * What an IP address reaches, for the fetch guard: the public internet, this machine, or a
 * network the gateway must not be tricked into reaching for someone else (SSRF).
 */
export type AddressKind = "public" | "loopback" | "private";

const loopback = new BlockList();
loopback.addSubnet("127.0.0.0", 8, "ipv4");
loopback.addAddress("::1", "ipv6");

/** IANA special-purpose ranges (RFC 6890 and successors) that are not the public internet. */
const special = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  special.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["fec0::", 10],
  ["ff00::", 8],
  ["2001:db8::", 32],
  ["100::", 64],
] as const) {
  special.addSubnet(network, prefix, "ipv6");
}

/** IPv6 forms that carry an IPv4 address: mapped (`::ffff:a.b.c.d`) and NAT64 (`64:ff9b::/96`). */
const EMBEDDED_V4 = /^(?:::ffff:|64:ff9b::)(?:0:)?(\d{1,3}(?:\.\d{1,3}){3})$/i;
const EMBEDDED_V4_HEX = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i;

/** The kind of a literal IP address; anything that does not parse counts as private. */
export function addressKind(address: string): AddressKind {
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const family = isIP(bare);
  if (family === 0) return "private";
  if (family === 6) {
    const v4 = embeddedV4(bare);
    if (v4) return addressKind(v4);
    if (loopback.check(bare, "ipv6")) return "loopback";
    return special.check(bare, "ipv6") ? "private" : "public";
  }
  if (loopback.check(bare, "ipv4")) return "loopback";
  if (bare === "255.255.255.255") return "private";
  return special.check(bare, "ipv4") ? "private" : "public";
}

function embeddedV4(address: string): string | undefined {
  const dotted = EMBEDDED_V4.exec(address);
  if (dotted) return dotted[1];
  const hex = EMBEDDED_V4_HEX.exec(address);
  if (!hex) return undefined;
  const high = Number.parseInt(hex[1]!, 16);
  const low = Number.parseInt(hex[2]!, 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join(".");
}
