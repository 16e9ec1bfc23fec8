import * as lark from "@larksuiteoapi/node-sdk";

/** What a WS receiver does with one envelope; the value is what the SDK acks (base64 JSON). */
export type EnvelopeRoute = (envelope: Record<string, unknown>) => Promise<unknown>;

/**
 * An `EventDispatcher` that hands the route the envelope exactly as Lark sent it, so the rest of
 * the gateway sees the same shape as a webhook body.
 *
 * Why not `register()` handlers: the SDK flattens header and event into one object before
 * calling them, and that cannot be undone faithfully. A `card.action.trigger` event has its own
 * `token` (the delayed-update token) which overwrites `header.token`. Over WS the SDK calls only
 * `invoke(envelope, { needCheck: false })` (no decryption or signature to skip: WS payloads are
 * plaintext), so overriding `invoke` sees the original body.
 */
export class EnvelopeDispatcher extends lark.EventDispatcher {
  readonly #route: EnvelopeRoute;

  constructor(route: EnvelopeRoute, sdkLogger: lark.Logger) {
    super({ logger: sdkLogger, loggerLevel: lark.LoggerLevel.debug });
    this.#route = route;
  }

  override async invoke(data: unknown): Promise<unknown> {
    const envelope = typeof data === "object" && data !== null ? data : {};
    return this.#route(envelope as Record<string, unknown>);
  }
}
