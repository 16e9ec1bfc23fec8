/**
 * The idempotency key of an answer (`ReplyTarget.idempotencyKey`): stable when the same job runs
 * again, different for every new answer to the same question. The channel derives its request
 * ids from it (Lark: `lark/outbound/request-uuid.ts`).
 */
export function answerKey(options: {
  messageId: string;
  /** The job's run; a new run after a crash must not reuse the first run's key, or Lark would
   * hand back the abandoned card instead of showing the new one. */
  attempt: number;
  /** The how-many-th Regenerate of this question; absent for the first answer. */
  regeneration?: number;
  /** The job of a card press that answers this message again (a picture's "Draw again"). */
  press?: number;
}): string {
  const { messageId, attempt, regeneration, press } = options;
  if (press !== undefined) return `p${press}${attempt > 1 ? `a${attempt}` : ""}-${messageId}`;
  if (regeneration === undefined) {
    return attempt > 1 ? `a${attempt}-${messageId}` : `a-${messageId}`;
  }
  return `r${regeneration}${attempt > 1 ? `a${attempt}` : ""}-${messageId}`;
}
