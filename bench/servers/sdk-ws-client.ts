import * as lark from "@larksuiteoapi/node-sdk";

/**
 * Baseline for the long-connection benchmark: the official SDK's WSClient with a handler that
 * returns at once, i.e. the fastest ack the SDK can give. Reads APP_ID, APP_SECRET and
 * LARK_DOMAIN; prints one JSON line once started.
 */
const dispatcher = new lark.EventDispatcher({}).register({
  "im.message.receive_v1": async () => undefined,
});
const client = new lark.WSClient({
  appId: process.env.APP_ID ?? "",
  appSecret: process.env.APP_SECRET ?? "",
  domain: process.env.LARK_DOMAIN ?? "",
  loggerLevel: lark.LoggerLevel.error,
});
await client.start({ eventDispatcher: dispatcher });
console.log(JSON.stringify({ msg: "sdk ws client started", url: "ws://connected" }));
process.on("SIGTERM", () => {
  client.close({ force: true });
  process.exit(0);
});
