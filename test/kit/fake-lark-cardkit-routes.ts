import { isStreamableTag, parseCardEntity, setElementContent } from "./fake-lark-card-json.js";
import { createRoute, type Route } from "./fake-lark-router.js";
import { type FakeLarkState, LarkFault, larkOk, requireApp } from "./fake-lark-state.js";
import type { FakeCard, FakeRequest, FakeResponse } from "./fake-lark-types.js";
import { numericId } from "./ids.js";

export const CARDKIT_SCOPE = "cardkit:card:write";
/** Streamed element content may hold 1–100000 characters (docs/lark-notes.md#size-limits). */
const MAX_ELEMENT_CHARS = 100_000;
const BASE = "/open-apis/cardkit/v1/cards";

/** CardKit entities: create, stream element text, settings, full update. */
export function cardkitRoutes(state: FakeLarkState): Route[] {
  const op =
    (handler: (card: FakeCard, req: FakeRequest, sequence: number) => void) => (req: FakeRequest) =>
      cardOp(state, req, handler);
  return [
    createRoute("POST", BASE, (req) => create(state, req), CARDKIT_SCOPE),
    createRoute(
      "PUT",
      `${BASE}/:card_id/elements/:element_id/content`,
      op(streamContent),
      CARDKIT_SCOPE,
    ),
    createRoute("PATCH", `${BASE}/:card_id/settings`, op(applySettings), CARDKIT_SCOPE),
    createRoute("PUT", `${BASE}/:card_id`, op(replaceCard), CARDKIT_SCOPE),
  ];
}

function create(state: FakeLarkState, req: FakeRequest): FakeResponse {
  const app = requireApp(state, req.appId);
  if (req.body?.type !== "card_json") {
    throw new LarkFault(10002, 'the fake supports CardKit type "card_json" only');
  }
  const { json, inspection } = parseCardEntity(req.body.data);
  const card: FakeCard = {
    cardId: numericId(),
    appId: app.appId,
    json,
    streaming: streamingOf(json),
    sequence: 0,
    elements: inspection.elements,
    elementTags: inspection.elementTags,
    contentUpdates: [],
    settings: [],
    fullUpdates: [],
  };
  state.cards.set(card.cardId, card);
  return larkOk({ card_id: card.cardId });
}

/**
 * Checks shared by every operation on an existing card, in the order Lark applies them:
 * existence, ownership, the per-card rate limit, uuid replay, then the strictly increasing
 * sequence (across all operations on the card).
 */
function cardOp(
  state: FakeLarkState,
  req: FakeRequest,
  apply: (card: FakeCard, req: FakeRequest, sequence: number) => void,
): FakeResponse {
  const app = requireApp(state, req.appId);
  const cardId = req.params.card_id ?? "";
  const card = state.cards.get(cardId);
  if (!card) throw new LarkFault(200740, `card entity ${cardId} not found`);
  if (card.appId !== app.appId) throw new LarkFault(300311, "the app is not the card's owner");
  const rate = state.cardOps.hit(cardId, state.limits.cardOpsPerSecond);
  if (!rate.ok) {
    throw new LarkFault(99991400, "request trigger frequency limit", 429, {
      "x-ogw-ratelimit-limit": String(state.limits.cardOpsPerSecond),
      "x-ogw-ratelimit-reset": String(Math.max(1, Math.ceil(rate.retryAfterMs / 1000))),
    });
  }
  const uuid = typeof req.body?.uuid === "string" && req.body.uuid ? req.body.uuid : undefined;
  const seen = state.cardUuids.get(cardId) ?? new Set<string>();
  if (uuid && seen.has(uuid)) return larkOk({});
  const sequence = req.body?.sequence;
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > 2 ** 31 - 1) {
    throw new LarkFault(10002, "sequence must be a positive int32");
  }
  if (sequence <= card.sequence) {
    throw new LarkFault(
      300317,
      `sequence ${sequence} is not greater than the card's last sequence ${card.sequence}`,
    );
  }
  apply(card, req, sequence);
  card.sequence = sequence;
  if (uuid) state.cardUuids.set(cardId, seen.add(uuid));
  return larkOk({});
}

function streamContent(card: FakeCard, req: FakeRequest, sequence: number): void {
  if (!card.streaming) {
    throw new LarkFault(300309, "streaming mode is closed: enable config.streaming_mode first");
  }
  const elementId = req.params.element_id ?? "";
  const tag = card.elementTags.get(elementId);
  if (tag === undefined) throw new LarkFault(300313, `element ${elementId} not found in card`);
  if (!isStreamableTag(tag)) {
    throw new LarkFault(
      300310,
      `only markdown/plain_text elements can stream, ${elementId} is ${tag}`,
    );
  }
  const content = req.body?.content;
  if (typeof content !== "string" || content.length < 1 || content.length > MAX_ELEMENT_CHARS) {
    throw new LarkFault(10002, `content must be a string of 1–${MAX_ELEMENT_CHARS} characters`);
  }
  card.elements.set(elementId, content);
  setElementContent(card.json, elementId, content);
  card.contentUpdates.push({ at: performance.now(), elementId, content, sequence });
}

function applySettings(card: FakeCard, req: FakeRequest, sequence: number): void {
  let settings: unknown;
  try {
    settings = JSON.parse(req.body?.settings);
  } catch {
    throw new LarkFault(10002, "settings must be a JSON-encoded string");
  }
  if (typeof settings !== "object" || settings === null) {
    throw new LarkFault(10002, "settings must encode a JSON object");
  }
  // The doc wraps fields in `config`; some clients send them at the top level and Lark takes both.
  const given = settings as Record<string, unknown>;
  const config = (given.config ?? given) as Record<string, unknown>;
  if (typeof config.streaming_mode === "boolean") card.streaming = config.streaming_mode;
  card.json.config = { ...(card.json.config ?? {}), ...config };
  card.settings.push({ at: performance.now(), settings, sequence });
}

function replaceCard(card: FakeCard, req: FakeRequest, sequence: number): void {
  const given = req.body?.card;
  if (given?.type !== "card_json") {
    throw new LarkFault(10002, 'card.type must be "card_json" (the fake has no templates)');
  }
  const { json, inspection } = parseCardEntity(given.data);
  card.json = json;
  card.streaming = streamingOf(json);
  card.elements = inspection.elements;
  card.elementTags = inspection.elementTags;
  card.fullUpdates.push({ at: performance.now(), json, sequence });
}

function streamingOf(json: Record<string, unknown>): boolean {
  return (json.config as Record<string, unknown> | undefined)?.streaming_mode === true;
}
