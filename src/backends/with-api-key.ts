import { BackendError } from "./backend.js";
import type { KeyPool } from "./key-pool.js";
import { allKeysFailed, classifyOpenAiError, restFor } from "./openai-errors.js";

/**
 * One request that is sent whole or not at all (a picture, a transcription), tried with the
 * pool's keys in turn: a key refused or out of quota rests and the next one is tried, as the
 * chat stream does before its first part.
 */
export async function withApiKey<T>(
  pool: KeyPool,
  keys: readonly string[],
  signal: AbortSignal,
  call: (index: number) => Promise<T>,
): Promise<T> {
  const failures: string[] = [];
  let last: BackendError | undefined;
  for (const index of pool.attempts()) {
    try {
      const result = await call(index);
      pool.answered(index);
      return result;
    } catch (error) {
      const rest = restFor(error);
      last = classifyOpenAiError(error, signal, keys);
      if (rest === undefined || signal.aborted) throw last;
      pool.rest(index, rest);
      failures.push(`key ${index + 1}: ${last.status ?? last.code}`);
    }
  }
  if (!last) throw new BackendError("internal", "no API key to try");
  throw failures.length > 1 ? allKeysFailed(last, failures) : last;
}
