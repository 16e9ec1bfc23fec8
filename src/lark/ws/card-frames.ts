import type * as lark from "@larksuiteoapi/node-sdk";

interface FrameHeader {
  key: string;
  value: string;
}

interface SdkFrame {
  headers: FrameHeader[];
}

/** The two private methods of `WSClient` (node-sdk 1.74.0) this patch wraps. */
interface WsClientInternals {
  handleEventData(frame: SdkFrame): Promise<void>;
  sendMessage(frame: SdkFrame): void;
}

/**
 * Makes a `WSClient` hand data frames with header `type: "card"` to its dispatcher instead of
 * dropping them unacked (`handleEventData` returns early unless the type is `event`; docs/lark-notes.md#long-connection).
 *
 * Least invasive way found in the SDK code: wrap the instance's `handleEventData` so a card
 * frame reaches it re-tagged as `event` (fragments, dispatch and ack then run unchanged), and
 * wrap `sendMessage` so the ack, which echoes the received headers, says `card` again as the
 * platform sent it. Only this instance is touched, and only these two methods.
 *
 * Throws when the SDK no longer has these methods, so an upgrade fails loudly in tests instead
 * of silently losing card callbacks.
 */
export function acceptCardFrames(client: lark.WSClient): void {
  const internals = client as unknown as Partial<WsClientInternals>;
  const handleEventData = internals.handleEventData;
  const sendMessage = internals.sendMessage;
  if (typeof handleEventData !== "function" || typeof sendMessage !== "function") {
    throw new Error(
      "@larksuiteoapi/node-sdk WSClient no longer has handleEventData/sendMessage: " +
        "update src/lark/ws/card-frames.ts for this SDK version",
    );
  }
  // Header objects this patch created; identity survives the SDK's header copying for the ack.
  const retagged = new WeakSet<FrameHeader>();

  internals.handleEventData = (frame) => {
    const typeHeader = frame.headers.find((header) => header.key === "type");
    if (typeHeader?.value === "card") {
      const asEvent = { key: "type", value: "event" };
      retagged.add(asEvent);
      frame.headers = frame.headers.map((header) => (header === typeHeader ? asEvent : header));
    }
    return handleEventData.call(client, frame);
  };

  internals.sendMessage = (frame) => {
    if (frame.headers.some((header) => retagged.has(header))) {
      frame.headers = frame.headers.map((header) =>
        retagged.has(header) ? { key: "type", value: "card" } : header,
      );
    }
    sendMessage.call(client, frame);
  };
}
