import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config/load-config.js";
import { configErrorOf, yamlFile } from "./config-file-helpers.js";

const file = (app: string) => `
apps:
  gpt:
    backend: azure
${app.replace(/^/gm, "    ")}
bots:
  support:
    appId: cli_a1
    appSecret: s3cret
    app: gpt
`;
const problem = (text: string) => {
  const path = yamlFile(text);
  return configErrorOf(path).message.slice(path.length + 2);
};

describe("larkgate.yaml: an azure app", () => {
  it("takes the resource name or the endpoint, the deployment and the API version", () => {
    const byName = loadConfig({
      configPath: yamlFile(file("resourceName: contoso\ndeployment: gpt-4o\napiKey: [k1, k2]")),
      env: {},
    }).bots[0]!.app;
    expect(byName).toEqual({
      id: "gpt",
      backend: "azure",
      baseUrl: "https://contoso.openai.azure.com",
      deployment: "gpt-4o",
      apiVersion: "2024-10-21",
      apiKey: "k1",
      apiKeys: ["k1", "k2"],
      historyTokenBudget: 4000,
      timeoutMs: 120_000,
    });
    const byEndpoint = loadConfig({
      configPath: yamlFile(
        file(
          "endpoint: https://contoso.openai.azure.com/\ndeployment: gpt-4o\napiVersion: 2025-01-01-preview\napiKey: k1\ntemperature: 0.3\nvision: true",
        ),
      ),
      env: {},
    }).bots[0]!.app;
    expect(byEndpoint).toMatchObject({
      baseUrl: "https://contoso.openai.azure.com",
      apiVersion: "2025-01-01-preview",
      temperature: 0.3,
      vision: true,
    });
  });

  it("says what is missing or contradicts", () => {
    expect(problem(file("deployment: gpt-4o\napiKey: k1"))).toBe(
      "apps.gpt (line 3): an azure app needs resourceName (the {name} in https://{name}.openai.azure.com) or endpoint",
    );
    expect(
      problem(
        file("resourceName: c\nendpoint: https://c.openai.azure.com\ndeployment: d\napiKey: k"),
      ),
    ).toMatch(/^apps\.gpt\.resourceName \(line 5\): give endpoint or resourceName, not both/);
    const message = problem(file("resourceName: my resource\napiVersion: latest\napiKey: k1"));
    expect(message).toContain("apps.gpt.deployment (line 3): is required (the deployment's name");
    expect(message).toContain(
      "apps.gpt.resourceName (line 5): is the {name} in https://{name}.openai.azure.com",
    );
    expect(message).toContain("apps.gpt.apiVersion (line 6): must look like 2024-10-21");
    expect(problem(file("resourceName: c\ndeployment: d\napiKey: k\nmodel: gpt-4o"))).toMatch(
      /unknown key "model" \(allowed: backend, apiKey, .*endpoint, resourceName, deployment, apiVersion/,
    );
  });
});
