import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { createFakeDify, type FakeDify } from "../kit/fake-dify.js";
import { createFakeFastGpt, type FakeFastGpt } from "../kit/fake-fastgpt.js";
import { createFakeLark, type FakeLark } from "../kit/fake-lark.js";
import { attachFakeLarkWs } from "../kit/fake-lark-ws.js";
import type { FakeLarkWs } from "../kit/fake-lark-ws-types.js";
import { createFakeLlm, type FakeLlm, type FakeLlmOptions } from "../kit/fake-llm.js";
import { tempDir } from "../temp-dir.js";
import { type DefaultBotEventOptions, DefaultBotEvents } from "./e2e-events.js";
import { type GatewayProcess, startGatewayProcess, tempDatabaseUrl } from "./gateway-process.js";

export type GatewayEnv = Record<string, string>;

export { repliesTo } from "./e2e-events.js";

export interface E2eKitOptions extends DefaultBotEventOptions {
  /** Fakes besides Lark. `longConnection` serves Lark's event WebSocket for the default app. */
  fakes?: Array<"llm" | "fastgpt" | "dify" | "longConnection">;
  /** How the fake LLM is made (the keys it accepts). */
  llm?: FakeLlmOptions;
  /** The gateways' working directory (a Feishu-OpenAI `config.yaml` there is read). */
  cwd?: string;
  /** Gateway processes sharing the env and the database, as replicas behind a load balancer. */
  replicas?: number;
  /** The default bot's encrypt key, for `defaultBotEnv()` and `push()`. */
  encryptKey?: string;
  /** Where the gateways keep their state; a fresh SQLite file unless given. */
  database?: { create(): string | Promise<string>; dropAll?(): Promise<void> };
  /**
   * The gateways' env, computed once after the fakes start (so it is also where extra apps and
   * config files are set up); DATABASE_URL is added. Default: `defaultBotEnv()`.
   */
  env?: (kit: E2eKit) => GatewayEnv | Promise<GatewayEnv>;
  /** Reset the fakes before each test (default); off where tests build on each other's state. */
  resetEachTest?: boolean;
}

/**
 * The fakes and the gateway process(es) of one describe block, started in beforeAll and stopped
 * in afterAll (gateways first, so none calls a closed fake), plus the default bot's env, pushes
 * and events (DefaultBotEvents). Fields throw until beforeAll has run, so a test that uses a
 * fake it did not ask for fails with a message that says so.
 */
export function useE2eKit(options: E2eKitOptions = {}): E2eKit {
  const kit = new E2eKit(options);
  beforeAll(() => kit.start());
  afterAll(() => kit.stop());
  if (options.resetEachTest !== false) beforeEach(() => kit.reset());
  return kit;
}

export class E2eKit extends DefaultBotEvents {
  #lark?: FakeLark;
  #llm?: FakeLlm;
  #fastgpt?: FakeFastGpt;
  #dify?: FakeDify;
  #ws?: FakeLarkWs;
  #databaseUrl?: string;
  #env: GatewayEnv = {};
  #closers: Array<() => unknown> = [];
  /** Every running gateway; `restart()` replaces one in place. */
  gateways: GatewayProcess[] = [];

  private readonly options: E2eKitOptions;

  constructor(options: E2eKitOptions) {
    super(options);
    this.options = options;
  }

  get lark(): FakeLark {
    return started(this.#lark, "lark");
  }
  get llm(): FakeLlm {
    return started(this.#llm, "llm");
  }
  get fastgpt(): FakeFastGpt {
    return started(this.#fastgpt, "fastgpt");
  }
  get dify(): FakeDify {
    return started(this.#dify, "dify");
  }
  get ws(): FakeLarkWs {
    return started(this.#ws, "longConnection");
  }
  get databaseUrl(): string {
    return started(this.#databaseUrl, "database");
  }
  /** The first (usually only) gateway. */
  get gateway(): GatewayProcess {
    return started(this.gateways[0], "gateway");
  }

  async start(): Promise<void> {
    const fakes = this.options.fakes ?? ["llm"];
    const lark = await createFakeLark();
    this.#lark = lark;
    this.#closers.push(() => lark.close());
    if (fakes.includes("llm")) this.#llm = this.#closing(await createFakeLlm(this.options.llm));
    if (fakes.includes("fastgpt")) this.#fastgpt = this.#closing(await createFakeFastGpt());
    if (fakes.includes("dify")) this.#dify = this.#closing(await createFakeDify());
    if (fakes.includes("longConnection")) {
      this.#ws = this.#closing(attachFakeLarkWs(lark, { apps: [lark.app] }));
    }
    const database = this.options.database ?? { create: tempDatabaseUrl };
    this.#databaseUrl = await database.create();
    if (database.dropAll) this.#closers.unshift(() => database.dropAll?.());
    const env = await (this.options.env ?? ((kit) => kit.defaultBotEnv()))(this);
    this.#env = { DATABASE_URL: this.#databaseUrl, ...env };
    const count = this.options.replicas ?? 1;
    this.gateways = await Promise.all(
      Array.from({ length: count }, () => startGatewayProcess(this.#env, this.#process())),
    );
    await this.#ws?.waitForConnections(count, 10_000);
  }

  async stop(): Promise<void> {
    await Promise.all(this.gateways.map((gateway) => gateway.stop()));
    for (const close of this.#closers.splice(0).reverse()) await close();
  }

  reset(): void {
    this.#lark?.reset();
    this.#llm?.reset();
    this.#fastgpt?.reset();
    this.#dify?.reset();
  }

  /** Stops one gateway (a no-op if it died) and starts a new one in its place, same env. */
  async restart(gateway = this.gateway): Promise<GatewayProcess> {
    await gateway.stop();
    const fresh = await startGatewayProcess(this.#env, this.#process());
    this.gateways[this.gateways.indexOf(gateway)] = fresh;
    return fresh;
  }

  /** The env of the single-bot set-up (APP_*, LARK_DOMAIN, OPENAI_*), for the default app. */
  defaultBotEnv(): GatewayEnv {
    const { encryptKey, verificationToken } = this.options;
    return {
      APP_ID: this.lark.app.appId,
      APP_SECRET: this.lark.app.appSecret,
      ...(encryptKey ? { APP_ENCRYPT_KEY: encryptKey } : {}),
      ...(verificationToken ? { APP_VERIFICATION_TOKEN: verificationToken } : {}),
      LARK_DOMAIN: this.lark.url,
      OPENAI_KEY: this.llm.apiKey,
      OPENAI_BASE_URL: this.llm.url,
    };
  }

  webhookUrl(path = "event", gateway = this.gateway): string {
    return `${gateway.url}/webhook/${path}`;
  }

  /** Pushes as Lark does, encrypted with the kit's key unless another (bot's) key is given. */
  push(envelope: object, path = "event", opts: { encryptKey?: string; to?: GatewayProcess } = {}) {
    return this.lark.push(this.webhookUrl(path, opts.to), envelope, {
      encryptKey: opts.encryptKey ?? this.options.encryptKey,
    });
  }

  #process() {
    return this.options.cwd ? { cwd: this.options.cwd } : {};
  }

  #closing<T extends { close(): unknown }>(fake: T): T {
    this.#closers.push(() => fake.close());
    return fake;
  }
}

/** Writes a larkgate.yaml (to a fresh temp dir unless `path` is given) and returns its path. */
export function writeConfig(yaml: string, path = join(tempDir("e2e-config"), "larkgate.yaml")) {
  writeFileSync(path, yaml);
  return path;
}

function started<T>(value: T | undefined, what: string): T {
  if (value === undefined)
    throw new Error(`e2e kit: no ${what} (not in the options, or used before beforeAll)`);
  return value;
}
