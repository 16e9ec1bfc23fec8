import type { Store } from "../store/store.js";
import type { FileSource } from "./files-for.js";

/**
 * How long a file sent without a question waits for one. Long enough to read it and think of
 * what to ask; past it, a question is about something else.
 */
export const PENDING_FILE_TTL_MS = 30 * 60 * 1000;

/** Keeps files sent without a question for the conversation's next one. */
export async function holdFiles(
  store: Store,
  botId: string,
  conversationKey: string,
  files: readonly FileSource[],
  now = Date.now(),
): Promise<void> {
  await store.holdFiles(botId, conversationKey, files, {
    now,
    expireBefore: now - PENDING_FILE_TTL_MS,
  });
}

/** The files waiting for this question, taken by it. */
export async function takeHeldFiles(
  store: Store,
  botId: string,
  conversationKey: string,
  messageId: string,
  now = Date.now(),
): Promise<FileSource[]> {
  return store.takeHeldFiles(botId, conversationKey, messageId, now - PENDING_FILE_TTL_MS);
}
