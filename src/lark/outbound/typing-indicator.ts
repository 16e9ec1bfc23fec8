import type { Logger } from "pino";
import type { LarkApi } from "./lark-api.js";

/**
 * The "typing" reaction on the user's message while an answer is produced (the convention of
 * Lark's own OpenClaw plugin). Best effort: a failure here never blocks or fails the answer.
 */
export function createTypingIndicator(api: LarkApi, messageId: string, logger: Logger) {
  let reaction: Promise<string | undefined> | undefined;
  return {
    show(): void {
      reaction = api.addReaction(messageId, "Typing").catch((error) => {
        logger.debug({ err: { message: (error as Error).message } }, "typing reaction not added");
        return undefined;
      });
    },
    async clear(): Promise<void> {
      const id = await reaction;
      if (!id) return;
      await api.deleteReaction(messageId, id).catch((error) => {
        logger.debug({ err: { message: (error as Error).message } }, "typing reaction not removed");
      });
    },
  };
}
