import { describe, expect, it } from "vitest";
import type { ConfigError } from "../../../src/config/config-error.js";
import { readEnvConfig } from "../../../src/config/read-env-config.js";
import { thrownConfigError } from "./thrown-config-error.js";

const base = { APP_ID: "cli_a41fe20b2539d00b", APP_SECRET: "s3cret" };
const azure = {
  ...base,
  AZURE_ON: "true",
  AZURE_RESOURCE_NAME: "contoso-ai",
  AZURE_DEPLOYMENT_NAME: "gpt-4o",
  AZURE_OPENAI_TOKEN: "0123456789abcdef0123456789abcdef",
};

function errorOf(env: Record<string, string>): ConfigError {
  return thrownConfigError(() => readEnvConfig(env));
}

describe("Azure OpenAI from Feishu-OpenAI's variables", () => {
  it("builds the endpoint from AZURE_RESOURCE_NAME, with a current API version by default", () => {
    expect(readEnvConfig(azure).bots[0]!.app).toMatchObject({
      backend: "azure",
      baseUrl: "https://contoso-ai.openai.azure.com",
      deployment: "gpt-4o",
      apiVersion: "2024-10-21",
      apiKey: azure.AZURE_OPENAI_TOKEN,
    });
  });

  it("lets AZURE_ENDPOINT override the resource, and keeps AZURE_API_VERSION", () => {
    const app = readEnvConfig({
      ...azure,
      AZURE_ENDPOINT: "http://127.0.0.1:4000/openai/",
      AZURE_API_VERSION: "2023-03-15-preview",
    }).bots[0]!.app;
    expect(app).toMatchObject({
      baseUrl: "http://127.0.0.1:4000",
      apiVersion: "2023-03-15-preview",
    });
  });

  it("is off unless AZURE_ON is true, as in Feishu-OpenAI", () => {
    const env = { ...azure, AZURE_ON: "false", OPENAI_KEY: "sk-test" };
    expect(readEnvConfig(env).bots[0]!.app.backend).toBe("openai");
  });

  it("names what is missing and where to find it", () => {
    const { AZURE_OPENAI_TOKEN: _token, ...noToken } = azure;
    expect(errorOf(noToken).message).toMatch(
      /^AZURE_OPENAI_TOKEN: AZURE_ON is true but .*Keys and Endpoint/,
    );
    const { AZURE_DEPLOYMENT_NAME: _deployment, ...noDeployment } = azure;
    expect(errorOf(noDeployment).variable).toBe("AZURE_DEPLOYMENT_NAME");
    const { AZURE_RESOURCE_NAME: _resource, ...noResource } = azure;
    expect(errorOf(noResource).message).toMatch(/AZURE_RESOURCE_NAME.*or AZURE_ENDPOINT/);
    expect(
      errorOf({ ...azure, AZURE_RESOURCE_NAME: "https://x.openai.azure.com" }).message,
    ).toMatch(/is not a resource name/);
    expect(errorOf({ ...azure, AZURE_API_VERSION: "latest" }).variable).toBe("AZURE_API_VERSION");
    expect(errorOf({ ...azure, AZURE_ON: "yes" }).message).toMatch(/on, off, true, false/);
  });

  it("never puts the token into an error", () => {
    const error = errorOf({ ...azure, AZURE_ENDPOINT: "not a url" });
    expect(error.variable).toBe("AZURE_ENDPOINT");
    expect(error.message).not.toContain(azure.AZURE_OPENAI_TOKEN);
  });
});
