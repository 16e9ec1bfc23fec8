import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { ConfigError } from "../../../src/config/config-error.js";
import { readConfigFile } from "../../../src/config/read-config-file.js";
import { readEnvConfig } from "../../../src/config/read-env-config.js";
import { tempDir } from "../../temp-dir.js";

/** Secrets the configurations carry; no error message may repeat them. */
const SECRETS = ["sk-SECRETKEY-0001", "APPSECRET-0002", "ENCRYPT-0003", "TOKEN-0004"];

const plain = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom("openai", "azure", "fastgpt", "dify", "cli_a41fe20b2539d00b", "feishu"),
  // An environment reference that is not set.
  fc.constant(`\${"{"}MISSING}`),
);
const secret = fc.oneof(fc.constantFrom(...SECRETS), plain);
const value = fc.oneof(
  plain,
  fc.array(plain, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), plain, { maxKeys: 3 }),
);
/** Secrets go where a real file has them; an App ID or a URL may be echoed in an error. */
const SECRET_KEYS = ["apiKey", "appSecret", "encryptKey", "verificationToken"];
const OTHER_KEYS = [
  "backend",
  "baseUrl",
  "model",
  "appId",
  "app",
  "domain",
  "eventMode",
  "groupTrigger",
  "commands",
  "language",
  "timeoutMs",
  "imageModel",
  "vision",
  "chatLogRetentionDays",
];
const section = fc
  .tuple(
    fc.dictionary(fc.constantFrom(...SECRET_KEYS), secret, { maxKeys: 4 }),
    fc.dictionary(fc.constantFrom(...OTHER_KEYS), value, { maxKeys: 6 }),
  )
  .map(([secrets, others]) => ({ ...others, ...secrets }));
const config = fc.record(
  {
    apps: fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), section, { maxKeys: 3 }),
    bots: fc.dictionary(fc.stringMatching(/^[a-zA-Z!]{1,6}$/), section, { maxKeys: 3 }),
    database: plain,
    chatLogRetentionDays: plain,
  },
  { requiredKeys: [] },
);

describe("configuration parsing, fuzzed", () => {
  const dir = tempDir("config-fuzz");

  it("turns any larkgate.yaml into a configuration or a ConfigError that repeats no secret", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          config.map((c) => stringify(c)),
          fc.string({ maxLength: 300 }),
        ),
        (yaml) => {
          const path = join(dir, "larkgate.yaml");
          writeFileSync(path, yaml);
          try {
            readConfigFile(path, {});
          } catch (error) {
            expect(error).toBeInstanceOf(ConfigError);
            for (const secret of SECRETS) expect((error as Error).message).not.toContain(secret);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("turns any environment into a configuration or a ConfigError that repeats no secret", () => {
    const secretNames = ["APP_SECRET", "APP_ENCRYPT_KEY", "APP_VERIFICATION_TOKEN", "OPENAI_KEY"];
    const names = [
      "APP_ID",
      "OPENAI_BASE_URL",
      "AZURE_ON",
      "LANGUAGE",
      "HTTP_PORT",
      "OPENAI_IMAGE_MODEL",
      "CHAT_LOG_RETENTION_DAYS",
      "DATABASE_URL",
      "GROUP_TRIGGER",
      "EVENT_MODE",
    ];
    fc.assert(
      fc.property(
        fc
          .tuple(
            fc.dictionary(fc.constantFrom(...secretNames), fc.constantFrom(...SECRETS), {
              maxKeys: 4,
            }),
            fc.dictionary(fc.constantFrom(...names), fc.string({ maxLength: 30 }), { maxKeys: 6 }),
          )
          .map(([secrets, others]) => ({ ...others, ...secrets })),
        (env) => {
          try {
            readEnvConfig(env);
          } catch (error) {
            expect(error).toBeInstanceOf(ConfigError);
            for (const secret of SECRETS) expect((error as Error).message).not.toContain(secret);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
