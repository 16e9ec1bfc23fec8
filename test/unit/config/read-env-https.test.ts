import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { ConfigError } from "../../../src/config/config-error.js";
import { readEnvConfig } from "../../../src/config/read-env-config.js";
import { thrownConfigError } from "./thrown-config-error.js";

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const tls = { USE_HTTPS: "true", CERT_FILE: fixture("cert.pem"), KEY_FILE: fixture("key.pem") };

function errorOf(env: Record<string, string>): ConfigError {
  return thrownConfigError(() => readEnvConfig(env));
}

describe("HTTPS from Feishu-OpenAI's USE_HTTPS, HTTPS_PORT, CERT_FILE and KEY_FILE", () => {
  it("is off by default, whatever the other three say", () => {
    expect(readEnvConfig({}).https).toBeUndefined();
    expect(readEnvConfig({ ...tls, USE_HTTPS: "false" }).https).toBeUndefined();
  });

  it("serves on 9001 by default, beside plain HTTP on 9000", () => {
    const config = readEnvConfig(tls);
    expect(config.https).toEqual({ port: 9001, certFile: tls.CERT_FILE, keyFile: tls.KEY_FILE });
    expect(config.http.port).toBe(9000);
    expect(readEnvConfig({ ...tls, HTTPS_PORT: "8443" }).https?.port).toBe(8443);
  });

  it("stops start-up naming the file that is missing, not a pair, or expired", () => {
    const missing = errorOf({ ...tls, CERT_FILE: "/nonexistent/cert.pem" });
    expect(missing.variable).toBe("CERT_FILE");
    expect(missing.message).toMatch(/the certificate "\/nonexistent\/cert\.pem" does not exist/);
    expect(errorOf({ USE_HTTPS: "true", CERT_FILE: tls.CERT_FILE }).message).toMatch(
      /^KEY_FILE: USE_HTTPS is on but the private key "key\.pem" does not exist/,
    );
    const mismatch = errorOf({ ...tls, KEY_FILE: fixture("other-key.pem") });
    expect(mismatch.message).toMatch(/are not a certificate and its private key/);
    expect(mismatch.message).not.toContain("BEGIN");
    expect(errorOf({ ...tls, CERT_FILE: fixture("expired-cert.pem") }).message).toMatch(
      /expired on 2001-01-01; Lark does not push to an expired certificate/,
    );
  });

  it("refuses HTTPS_PORT equal to HTTP_PORT", () => {
    expect(errorOf({ ...tls, HTTPS_PORT: "9000" }).variable).toBe("HTTPS_PORT");
  });
});
