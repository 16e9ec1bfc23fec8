import { conversationKey } from "../messages/conversation-key.js";
import type { InboundMessage } from "../messages/inbound-message.js";
import type { NewJob, Store } from "../store/store.js";
import { messageKey } from "./dedup-keys.js";

/** The stored kind of a message's job (`conversation/jobs/answer-job.ts` runs it). */
export const MESSAGE_JOB = "message";

/**
 * Durable intake: the only thing the 3-second ack path does after verification. A message is
 * deduplicated on its message id and stored as a job; the worker answers it later.
 */
export function createIntake(options: {
  store: Store;
  onAccepted?: () => void;
  /** Told how long each store commit took (the ack waits for it). */
  observeCommit?: (seconds: number) => void;
}) {
  const { store } = options;
  async function enqueue(job: NewJob, dedupKeys: string[]): Promise<"accepted" | "duplicate"> {
    const started = performance.now();
    const outcome = await store.acceptJob(job, dedupKeys);
    options.observeCommit?.((performance.now() - started) / 1000);
    if (outcome === "accepted") options.onAccepted?.();
    return outcome;
  }
  return {
    acceptMessage(message: InboundMessage): Promise<"accepted" | "duplicate"> {
      return enqueue(
        {
          botId: message.botId,
          kind: MESSAGE_JOB,
          conversationKey: conversationKey(message),
          payload: message,
        },
        [messageKey(message.botId, message.messageId)],
      );
    },
    /** Any other kind of job, stored once per dedup key (none: always stored). */
    enqueue,
  };
}

export type Intake = ReturnType<typeof createIntake>;
