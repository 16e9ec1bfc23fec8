import type { Attachment } from "./inbound-message.js";

/**
 * A message read back from its channel (the one a user replied to, or the question itself for
 * Regenerate), as far as answering a question about it needs it.
 */
export interface ReadBackMessage {
  /** Its text as the model should see it; undefined when there is none to quote. */
  text?: string;
  /** What a person sent in it besides text (pictures), in order. */
  attachments: Attachment[];
  /** The message it replies to. */
  parentId?: string;
  /** It sits in a topic thread (where replies are the thread, not quotes). */
  inThread: boolean;
}
