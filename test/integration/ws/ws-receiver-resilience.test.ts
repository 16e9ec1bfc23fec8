import { afterEach, describe, expect, it } from "vitest";
import { createWsReceiver } from "../../../src/lark/ws/ws-receiver.js";
import { larkId } from "../../kit/ids.js";
import { messageEvent } from "../../kit/lark-events.js";
import { waitFor } from "../../kit/wait-for.js";
import {
  connectedHarness,
  createWsHarness,
  type HarnessOptions,
  sleep,
  type WsHarness,
} from "./ws-harness.js";

const open: WsHarness[] = [];
afterEach(async () => {
  for (const harness of open.splice(0)) await harness.close();
});
async function track(harness: Promise<WsHarness>) {
  const h = await harness;
  open.push(h);
  return h;
}
const connected = (options?: HarnessOptions) => track(connectedHarness(options));

function textMessage(appId: string) {
  return messageEvent({
    appId,
    chatId: larkId("oc_"),
    chatType: "group",
    senderOpenId: larkId("ou_"),
    text: "still there?",
  });
}

describe("WS receiver: connection trouble", () => {
  it.each([{ abrupt: false }, { abrupt: true }])(
    "reconnects after the server drops the connection (%o) and keeps receiving",
    async (drop) => {
      const h = await connected();

      h.ws.dropConnections(drop);
      await waitFor(() => h.receiver.status().reconnects === 1, { label: "one reconnect" });

      expect(h.states()).toEqual(["connecting", "connected", "reconnecting", "connected"]);
      expect(h.receiver.status().state).toBe("connected");
      expect(h.ws.endpointCalls).toBe(2); // a fresh endpoint (and ticket) for the new socket
      const result = await h.ws.pushEvent(textMessage(h.appId));
      expect(result.ack.code).toBe(200);
      expect(h.envelopes).toHaveLength(1);
    },
  );

  it("replaces a silent (half-open) connection found by the ping watchdog", async () => {
    const h = await connected();
    const [first] = h.ws.sockets();

    h.ws.silence();
    await waitFor(() => h.receiver.status().reconnects === 1, {
      timeoutMs: 4000,
      label: "the watchdog to replace the silent socket",
    });

    await waitFor(() => h.ws.sockets().find((s) => s.id === first?.id)?.open === false, {
      label: "the silent socket to be closed by the client",
    });
    expect(h.receiver.status().lastError).toMatch(/half-open/);
    const result = await h.ws.pushEvent(textMessage(h.appId));
    expect(result.connectionId).not.toBe(first?.id);
    expect(h.envelopes).toHaveLength(1);
  });

  it("without the watchdog a silent connection goes unnoticed (control)", async () => {
    const h = await connected({ receiver: { pingTimeoutSec: 0 } });

    h.ws.silence();
    await sleep(2500); // two and a half ping intervals

    expect(h.receiver.status()).toMatchObject({ state: "connected", reconnects: 0 });
    expect(h.ws.connectCount).toBe(1);
  });

  it("warns when the watchdog window is too long to ever fire", async () => {
    // The SDK re-arms its watchdog on every ping: a window >= PingInterval is never reached.
    const h = await connected({ receiver: { pingTimeoutSec: 2 } });

    const warning = h.logs.find((l) => l.level === 40 && /watchdog/.test(l.msg));
    expect(warning).toMatchObject({ pingTimeoutSec: 2, pingIntervalSec: 1 });
  });

  it("keeps retrying while endpoint discovery fails, then recovers", async () => {
    const h = await connected();
    h.ws.failEndpoint(3);

    h.ws.dropConnections();
    const failing = await waitFor(
      () => {
        const status = h.receiver.status();
        return /discovery failed: HTTP 500/.test(status.lastError ?? "") && status;
      },
      { label: "a recorded discovery error" },
    );
    expect(failing.state).toBe("reconnecting");
    await waitFor(() => h.receiver.status().reconnects === 1, {
      timeoutMs: 8000,
      label: "recovery after 3 failed discoveries",
    });

    expect(h.ws.endpointCalls).toBe(1 + 3 + 1);
    const result = await h.ws.pushEvent(textMessage(h.appId));
    expect(result.ack.code).toBe(200);
  });

  it("starts the SDK client again after it gives up reconnecting", async () => {
    // ReconnectCount 1: the SDK's loop ends (onError, state failed) after one failed attempt.
    const h = await connected({ clientConfig: { ReconnectCount: 1 } });
    h.ws.failEndpoint(2);

    h.ws.dropConnections();
    await waitFor(() => h.receiver.status().reconnects === 1, {
      timeoutMs: 5000,
      label: "a restarted client to connect",
    });

    expect(h.states()).toContain("failed");
    expect(h.states().at(-1)).toBe("connected");
    expect(h.ws.endpointCalls).toBe(1 + 2 + 1);
    expect((await h.ws.pushEvent(textMessage(h.appId))).ack.code).toBe(200);
  });

  it("retries a failing first discovery on its own backoff, not the SDK's 2-minute default", async () => {
    const h = await track(createWsHarness());
    h.ws.failEndpoint(2);

    await h.receiver.start();
    await h.waitForState("connected", 3000);

    expect(h.ws.endpointCalls).toBe(3);
    expect(h.receiver.status().reconnects).toBe(0);
    expect(h.receiver.status().lastError).toMatch(/HTTP 500/);
  });

  it("reports a wrong app secret as failed with a clear error and keeps retrying", async () => {
    const h = await track(createWsHarness({ appSecret: "definitely-not-the-secret" }));

    await h.receiver.start();
    await waitFor(() => h.ws.endpointCalls >= 3, { label: "repeated discovery attempts" });

    const status = h.receiver.status();
    expect(status.state).toBe("failed"); // stays failed while retrying: it needs attention
    expect(h.states()).toEqual(["connecting", "failed"]);
    expect(status.lastError).toMatch(/code 514/);
    expect(status.lastError).toMatch(/APP_ID and APP_SECRET/);
    expect(h.ws.connectCount).toBe(0);
    expect(JSON.stringify(h.logs)).not.toContain("definitely-not-the-secret");
  });

  it("close() ends the connection for good", async () => {
    const h = await connected();

    await h.receiver.close();

    expect(h.receiver.status().state).toBe("closed");
    await waitFor(() => h.ws.connections === 0, { label: "the socket to close" });
    await sleep(300); // nonce 0: a reconnect would have happened by now
    expect(h.ws.connectCount).toBe(1);
    await expect(h.receiver.start()).rejects.toThrow(/closed/);
  });

  it("rejects an app id the SDK would silently refuse, naming APP_ID", () => {
    const make = (appId: string) => () =>
      createWsReceiver({
        appId,
        appSecret: "secret",
        domain: "https://open.feishu.cn",
        logger: undefined as never,
        onEnvelope: async () => undefined,
      });

    expect(make("my-bot")).toThrow(/APP_ID "my-bot".*cli_.*16 hex/);
    expect(make("cli_123")).toThrow(/APP_ID/);
  });
});
