import { isRecord } from "../messages/is-record.js";
import type { Store } from "../store/store.js";
import { SETTING } from "./ai-modes.js";
import { type ImageSource, MAX_IMAGES_PER_MESSAGE } from "./pictures-for.js";

/**
 * Pictures sent in vision mode (`图片推理`) wait in the conversation's settings for the next
 * question, which takes them all; kept as `{messageId, imageKey}`, since Lark serves a
 * picture by the message that carried it.
 */
export async function holdPictures(
  store: Store,
  botId: string,
  conversationKey: string,
  pictures: readonly ImageSource[],
): Promise<number> {
  const { settings } = await store.getConversation(botId, conversationKey);
  // The newest count: a question can carry only so many.
  const held = [...readHeld(settings[SETTING.visionPending]), ...pictures].slice(
    -MAX_IMAGES_PER_MESSAGE,
  );
  await store.updateSettings(botId, conversationKey, {
    [SETTING.visionPending]: JSON.stringify(held),
  });
  return held.length;
}

/** The waiting pictures, taken: the question that gets them is the last to. */
export async function takeHeldPictures(
  store: Store,
  botId: string,
  conversationKey: string,
  settings: Readonly<Record<string, string>>,
): Promise<ImageSource[]> {
  const held = readHeld(settings[SETTING.visionPending]);
  if (held.length > 0) {
    await store.updateSettings(botId, conversationKey, { [SETTING.visionPending]: null });
  }
  return held;
}

function readHeld(raw: string | undefined): ImageSource[] {
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (p): p is ImageSource =>
        isRecord(p) && typeof p.messageId === "string" && typeof p.imageKey === "string",
    );
  } catch {
    return [];
  }
}
