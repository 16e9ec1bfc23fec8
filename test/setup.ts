import { removeTempDirsAfterAll } from "./temp-dir.js";

// Runs first in every test file, so its afterAll runs last (vitest runs after-hooks as a stack).
removeTempDirsAfterAll();
