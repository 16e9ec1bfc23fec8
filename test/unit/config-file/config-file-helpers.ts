import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ConfigError } from "../../../src/config/config-error.js";
import { loadConfig } from "../../../src/config/load-config.js";
import { tempDir } from "../../temp-dir.js";
import { thrownConfigError } from "../config/thrown-config-error.js";

/** Writes `text` as larkgate.yaml in a fresh directory and returns its path. */
export function yamlFile(text: string, name = "larkgate.yaml"): string {
  const path = join(tempDir("config"), name);
  writeFileSync(path, text);
  return path;
}

/** The ConfigError loadConfig throws for this file and environment. */
export function configErrorOf(path: string, env: Record<string, string> = {}): ConfigError {
  return thrownConfigError(() => loadConfig({ configPath: path, env }));
}

/** A minimal valid file; tests add or break one thing at a time. */
export const MINIMAL = `
apps:
  support:
    backend: openai
    apiKey: sk-test
    model: gpt-4o-mini
bots:
  support:
    appId: cli_a1
    appSecret: s3cret
    app: support
`;
