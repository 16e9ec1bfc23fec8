import { waitFor } from "./wait-for.js";

/**
 * What the fake LLM, FastGPT and Dify APIs share: the requests they recorded, a queue of
 * scripted answers consumed one per call, and a default for when the queue is empty.
 */
export function createScriptedAnswers<Script, Request>(label: string, defaultScript: Script) {
  const requests: Request[] = [];
  const queue: Script[] = [];
  let fallback = defaultScript;
  return {
    requests,
    /** The script for the call being answered now. */
    next: (): Script => queue.shift() ?? fallback,
    /** The public part of each fake's interface. */
    controls: {
      requests,
      /** Queues the answer of the next call; with an empty queue the default answers. */
      script: (s: Script): void => {
        queue.push(s);
      },
      setDefault: (s: Script): void => {
        fallback = s;
      },
      waitForRequests: (n: number, timeoutMs?: number): Promise<Request[]> =>
        waitFor(() => (requests.length >= n ? requests.slice() : undefined), {
          timeoutMs,
          label: `${n} ${label} request(s)`,
          describe: () => `requests so far: ${requests.length}`,
        }),
    },
    /** Forgets requests and scripts, and restores the default. */
    reset: (): void => {
      requests.length = 0;
      queue.length = 0;
      fallback = defaultScript;
    },
  };
}
