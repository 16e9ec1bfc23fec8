import { describe, expect, it } from "vitest";
import { readSseEvents, type SseEvent } from "../../../src/backends/sse-lines.js";

/** A body delivered in exactly these pieces, the way a socket may cut it. */
function body(pieces: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) controller.enqueue(encoder.encode(piece));
      controller.close();
    },
  });
}

async function events(pieces: string[]): Promise<SseEvent[]> {
  const out: SseEvent[] = [];
  for await (const event of readSseEvents(body(pieces))) out.push(event);
  return out;
}

describe("readSseEvents", () => {
  it("reassembles events cut anywhere, including inside \\r\\n and a multi-byte character", async () => {
    const text = 'event: answer\r\ndata: {"a":"你好"}\r\n\r\n: comment\r\ndata: [DONE]\r\n\r\n';
    const bytes = new TextEncoder().encode(text);
    // Cut between every byte: the parser must not care where the chunks end.
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const byte of bytes) controller.enqueue(new Uint8Array([byte]));
        controller.close();
      },
    });
    const out: SseEvent[] = [];
    for await (const event of readSseEvents(stream)) out.push(event);
    expect(out).toEqual([{ event: "answer", data: '{"a":"你好"}' }, { data: "[DONE]" }]);
  });

  it("joins multi-line data, keeps bare event names and delivers a last event without a blank line", async () => {
    expect(await events(["data: one\ndata: two\n\n", "event: ping\n\n", "data: tail"])).toEqual([
      { data: "one\ntwo" },
      { event: "ping", data: "" },
      { data: "tail" },
    ]);
  });

  it("cancels the body when the reader stops early", async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("data: 1\n\n"));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const event of readSseEvents(stream)) {
      expect(event.data).toBe("1");
      break;
    }
    expect(cancelled).toBe(true);
  });
});
