import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { createSecureContext } from "node:tls";
import type { GatewayConfig } from "./config.js";
import { ConfigError } from "./config-error.js";
import { type Env, flag, get, integer } from "./env-values.js";
import { readableFile } from "./readable-file.js";

/** Feishu-OpenAI's defaults for its HTTPS variables (config.example.yaml there). */
const DEFAULT_HTTPS_PORT = 9001;
const DEFAULT_CERT_FILE = "cert.pem";
const DEFAULT_KEY_FILE = "key.pem";

/**
 * USE_HTTPS=true: serve HTTPS on HTTPS_PORT with CERT_FILE and KEY_FILE (PEM), as Feishu-OpenAI
 * did. The files are checked here, at start: missing, unreadable, not a pair, or expired
 * (Lark refuses to push to an expired certificate) each stop start-up naming the variable.
 * The files' contents never appear in a message.
 */
export function readEnvHttps(env: Env, httpPort: number): GatewayConfig["https"] {
  if (!flag(env, "USE_HTTPS", false)) return undefined;
  const port = integer(env, ["HTTPS_PORT"], DEFAULT_HTTPS_PORT, 0, 65535);
  if (port !== 0 && port === httpPort) {
    throw new ConfigError(
      "HTTPS_PORT",
      `${port} is also HTTP_PORT; plain HTTP stays on for /ping and TLS-terminating proxies, so give HTTPS another port (Feishu-OpenAI used ${DEFAULT_HTTPS_PORT})`,
    );
  }
  const certFile = pemFile(env, "CERT_FILE", DEFAULT_CERT_FILE, "certificate");
  const keyFile = pemFile(env, "KEY_FILE", DEFAULT_KEY_FILE, "private key");
  const cert = readFileSync(certFile);
  try {
    createSecureContext({ cert, key: readFileSync(keyFile) });
  } catch (error) {
    throw new ConfigError(
      "CERT_FILE",
      `${certFile} and ${keyFile} (KEY_FILE) are not a certificate and its private key in PEM (${opensslReason(error)}). Use the files your CA issued, e.g. fullchain.pem and privkey.pem from Let's Encrypt.`,
    );
  }
  const validTo = new Date(new X509Certificate(cert).validTo);
  if (validTo.getTime() < Date.now()) {
    throw new ConfigError(
      "CERT_FILE",
      `the certificate in ${certFile} expired on ${validTo.toISOString().slice(0, 10)}; Lark does not push to an expired certificate. Renew it.`,
    );
  }
  return { port, certFile, keyFile };
}

function pemFile(env: Env, name: string, fallback: string, what: string): string {
  const path = get(env, name)?.value ?? fallback;
  const problem = readableFile(path);
  if (problem) {
    throw new ConfigError(
      name,
      `USE_HTTPS is on but the ${what} ${problem}. Set ${name} to the PEM file${name === "CERT_FILE" ? " (the certificate chain)" : ""}, or turn USE_HTTPS off when a proxy in front terminates TLS.`,
    );
  }
  return path;
}

/** OpenSSL's reason (`key values mismatch`, `no start line`), never the file's contents. */
function opensslReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split(":").at(-1)?.trim() || message;
}
