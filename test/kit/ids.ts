import { randomBytes, randomInt } from "node:crypto";

/** `bytes` random bytes as lowercase hex (2 characters per byte). */
export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString("hex");
}

/** A Lark-looking id such as `om_` + 32 hex characters (`om_`, `oc_`, `ou_`, `omt_`, `ev_`…). */
export function larkId(prefix: string, hexBytes = 16): string {
  return `${prefix}${randomHex(hexBytes)}`;
}

/** A 19-digit numeric id, the shape Lark uses for CardKit `card_id`s. */
export function numericId(): string {
  let digits = String(randomInt(1, 10));
  while (digits.length < 19) digits += String(randomInt(0, 10));
  return digits;
}
