/**
 * Answers being generated in this process, so a Stop button (or shutdown) can abort them.
 * Keyed by bot and the user's message id, which the answer card's buttons carry.
 */
export function createRunningAnswers() {
  const running = new Map<string, AbortController>();
  const keyOf = (botId: string, messageId: string) => `${botId}\u0000${messageId}`;
  return {
    begin(botId: string, messageId: string): AbortController {
      const controller = new AbortController();
      running.set(keyOf(botId, messageId), controller);
      return controller;
    },
    end(botId: string, messageId: string, controller: AbortController): void {
      if (running.get(keyOf(botId, messageId)) === controller)
        running.delete(keyOf(botId, messageId));
    },
    /** Returns true when an answer was running here and is now aborted. */
    stop(botId: string, messageId: string): boolean {
      const controller = running.get(keyOf(botId, messageId));
      if (!controller) return false;
      controller.abort(new Error("stopped by the user"));
      return true;
    },
    abortAll(): void {
      for (const controller of running.values()) controller.abort(new Error("shutting down"));
    },
  };
}

export type RunningAnswers = ReturnType<typeof createRunningAnswers>;
