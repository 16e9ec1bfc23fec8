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
}): string {
  const { messageId, attempt, regeneration } = options;
  if (regeneration === undefined) {
    return attempt > 1 ? `a${attempt}-${messageId}` : `a-${messageId}`;
  }
  return `r${regeneration}${attempt > 1 ? `a${attempt}` : ""}-${messageId}`;
}
