/** One server-sent event: the `event:` name (if any) and its `data:` lines joined by `\n`. */
export interface SseEvent {
  event?: string;
  data: string;
}

/**
 * Parses a `text/event-stream` body into events (WHATWG rules: `\n`, `\r\n` or `\r` line ends,
 * `:` comments, multi-line data). FastGPT names its events with `event:` lines; Dify puts the
 * name inside the JSON and sends bare `event: ping` keep-alives. Leaving the loop early cancels
 * the body so the socket is released.
 */
export async function* readSseEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let event: string | undefined;
  let data: string[] = [];
  let sawField = false;
  let finished = false;

  function* takeLines(final: boolean): Generator<SseEvent> {
    for (;;) {
      const match = /\r\n|\r|\n/.exec(buffer);
      // A lone `\r` at the end may be the first half of `\r\n`; wait for the next chunk.
      if (!match || (!final && match[0] === "\r" && match.index === buffer.length - 1)) break;
      const line = buffer.slice(0, match.index);
      buffer = buffer.slice(match.index + match[0].length);
      const dispatched = takeLine(line);
      if (dispatched) yield dispatched;
    }
    if (final) {
      if (buffer) {
        const dispatched = takeLine(buffer);
        buffer = "";
        if (dispatched) yield dispatched;
      }
      // A stream that ends without the closing blank line still delivers its last event.
      const last = takeLine("");
      if (last) yield last;
    }
  }

  function takeLine(line: string): SseEvent | undefined {
    if (line === "") {
      if (!sawField) return undefined;
      const out: SseEvent = { data: data.join("\n") };
      if (event !== undefined) out.event = event;
      event = undefined;
      data = [];
      sawField = false;
      return out;
    }
    if (line.startsWith(":")) return undefined;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") {
      event = value;
      sawField = true;
    } else if (field === "data") {
      data.push(value);
      sawField = true;
    }
    return undefined;
  }

  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        finished = true;
        buffer += decoder.decode();
        yield* takeLines(true);
        return;
      }
      buffer += decoder.decode(value, { stream: true });
      yield* takeLines(false);
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
