/**
 * A push that passed verification but is not something we can turn into a job (wrong event
 * type, missing ids, content that is not JSON…). The route logs it and acks without retrying,
 * since Lark would redeliver the same malformed body.
 */
export class InboundError extends Error {
  override readonly name = "InboundError";
}
