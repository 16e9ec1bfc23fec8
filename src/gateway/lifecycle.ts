import type { Logger } from "pino";

/**
 * Starts resources in order and stops them in reverse, so nothing is closed while something
 * opened after it still uses it (the HTTP server before the worker, the worker before the
 * store). A start that fails closes what was already open, then throws.
 *
 * @example
 * const life = createLifecycle(logger);
 * const store = await life.start("store", () => createStore(url), (s) => s.close());
 * await life.stop();
 */
export function createLifecycle(logger: Logger) {
  const started: { name: string; stop: () => Promise<void> | void }[] = [];
  let stopping: Promise<void> | undefined;

  async function stopAll(): Promise<void> {
    for (const { name, stop } of started.splice(0).reverse()) {
      try {
        await stop();
      } catch (error) {
        // The rest must still be released; the process is going away anyway.
        logger.error({ err: error, resource: name }, "could not stop a resource");
      }
    }
  }

  return {
    /** Opens one resource and registers how to close it. */
    async start<T>(
      name: string,
      open: () => Promise<T> | T,
      stop: (value: T) => Promise<void> | void,
    ): Promise<T> {
      if (stopping) throw new Error(`cannot start ${name}: the gateway is stopping`);
      let value: T;
      try {
        value = await open();
      } catch (error) {
        await stopAll();
        throw error;
      }
      started.push({ name, stop: () => stop(value) });
      return value;
    },
    /** Closes everything started, newest first; later calls return the same promise. */
    stop(): Promise<void> {
      stopping ??= stopAll();
      return stopping;
    },
  };
}

export type Lifecycle = ReturnType<typeof createLifecycle>;
