import { ConfigError } from "../../../src/config/config-error.js";

/** The ConfigError `run` throws; any other error is rethrown, and none fails the test. */
export function thrownConfigError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}
