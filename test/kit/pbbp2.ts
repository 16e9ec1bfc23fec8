import protobuf from "protobufjs";

/**
 * The `pbbp2.Frame` codec Lark's long connection speaks (docs/lark-notes.md#long-connection), defined here from
 * the proto text so the fake does not share code with the SDK it is testing.
 */
const PROTO = `
syntax = "proto2";
package pbbp2;
message Header { required string key = 1; required string value = 2; }
message Frame {
  required uint64 SeqID = 1;
  required uint64 LogID = 2;
  required int32 service = 3;
  required int32 method = 4;
  repeated Header headers = 5;
  optional string payload_encoding = 6;
  optional string payload_type = 7;
  optional bytes payload = 8;
  optional string LogIDNew = 9;
}
`;

const FrameType = protobuf.parse(PROTO, { keepCase: true }).root.lookupType("pbbp2.Frame");

/** `method` values: control frames carry ping/pong, data frames carry events and acks. */
export const FRAME_CONTROL = 0;
export const FRAME_DATA = 1;

export interface FrameHeader {
  key: string;
  value: string;
}

export interface Frame {
  SeqID: number;
  LogID: number;
  service: number;
  method: number;
  headers: FrameHeader[];
  payload_encoding?: string;
  payload_type?: string;
  payload?: Uint8Array;
  LogIDNew?: string;
}

/** Encodes one frame; throws when a required field is missing, as a real peer would reject it. */
export function encodeFrame(frame: Frame): Uint8Array {
  const message = FrameType.fromObject(frame);
  const problem = FrameType.verify(message);
  if (problem) throw new Error(`pbbp2: invalid frame: ${problem}`);
  return FrameType.encode(message).finish();
}

/** Decodes one binary WebSocket message; throws on missing required fields. */
export function decodeFrame(bytes: Uint8Array): Frame {
  const message = FrameType.decode(bytes);
  const plain = FrameType.toObject(message, { longs: Number, arrays: true }) as Frame;
  return plain;
}

/** The headers as a key → value map (later duplicates win, like the SDK's reduce). */
export function frameHeaders(frame: Frame): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const { key, value } of frame.headers) headers[key] = value;
  return headers;
}
